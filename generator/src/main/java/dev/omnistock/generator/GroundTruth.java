package dev.omnistock.generator;

import dev.omnistock.events.Channel;
import dev.omnistock.generator.model.InventoryOracle;
import dev.omnistock.generator.model.OrderStatusOracle;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the pipeline must end with after a generated run: per SKU the network on_hand, committed and
 * unavailable, per order its decision and its lines' facts (units ordered, refused, cancelled, shipped,
 * returned, expired), all from the generator's model of the inventory rules; and
 * per SKU and channel the demand as the analytics job counts it: units ordered, cancelled, shipped and
 * returned, and revenue.
 */
public final class GroundTruth {

    /** Network totals of one SKU. */
    public static final class Position {
        public long onHand;
        public long committed;
        public long unavailable;
    }

    /** Demand of one SKU through one channel. */
    public static final class Demand {
        public long orderLines;
        public long unitsOrdered;
        public long unitsCancelled;
        public long unitsShipped;
        public long unitsReturned;
        public final Map<String, BigDecimal> revenue = new TreeMap<>();
    }

    public final Map<String, Position> positions = new TreeMap<>();
    /** orderId to ACCEPTED or REJECTED, for every order decided and not cancelled whole. */
    public final Map<String, String> decisions = new TreeMap<>();
    /** Orders cancelled whole: decided once if their answers came back before the cancel, else never. */
    public final Set<String> undecidable = new TreeSet<>();
    public final Map<String, Map<Channel, Demand>> demand = new TreeMap<>();
    /** Every order the model holds, with its lines' facts. */
    public final Map<String, InventoryOracle.OrderView> orders = new TreeMap<>();

    /**
     * What is wrong with what order-status told, read committed: every placement's changes as a stream
     * ({@link OrderStatusOracle#streamProblems}), and every order the model holds told where it stands
     * ({@link OrderStatusOracle#problems}) by its latest placement, and no order told that was never placed. (A cancel
     * that overtakes its order's answers leaves the same units as one after them: only orders of deep SKUs, which are
     * never refused, are cancelled.)
     *
     * @param told orderId to its changes, in the order of the topic (one order is on one partition)
     */
    public List<String> statusProblems(Map<String, List<OrderStatusOracle.Change>> told) {
        List<String> problems = new ArrayList<>();
        Map<String, List<OrderStatusOracle.Change>> latest = new TreeMap<>();
        told.forEach((orderId, changes) -> {
            Map<String, List<OrderStatusOracle.Change>> byPlacement = new LinkedHashMap<>();
            for (OrderStatusOracle.Change change : changes) {
                // orderId/placement/sequence; the order id has no '/'
                String placement = change.changeId().substring(0, change.changeId().lastIndexOf('/'));
                byPlacement.computeIfAbsent(placement, p -> new ArrayList<>()).add(change);
            }
            byPlacement.values().forEach(placement -> problems.addAll(OrderStatusOracle.streamProblems(orderId, placement)));
            latest.put(orderId, List.copyOf(byPlacement.values()).get(byPlacement.size() - 1));
        });
        latest.keySet().stream().filter(orderId -> !orders.containsKey(orderId))
                .forEach(orderId -> problems.add(orderId + " was told " + latest.get(orderId) + " but never placed"));
        orders.forEach((orderId, order) -> problems.addAll(OrderStatusOracle.problems(orderId, latest.getOrDefault(orderId, List.of()), order)));
        return problems;
    }

    /** Units ordered, cancelled, shipped and returned over every SKU and channel, in that order. */
    public long[] demandTotals() {
        long[] totals = new long[4];
        demand.values().forEach(byChannel -> byChannel.values().forEach(d -> {
            totals[0] += d.unitsOrdered;
            totals[1] += d.unitsCancelled;
            totals[2] += d.unitsShipped;
            totals[3] += d.unitsReturned;
        }));
        return totals;
    }

    void ordered(String sku, Channel channel, int units, BigDecimal amount, String currency) {
        Demand d = demand(sku, channel);
        d.orderLines++;
        d.unitsOrdered += units;
        d.revenue.merge(currency, amount, BigDecimal::add);
    }

    void cancelled(String sku, Channel channel, int units) {
        demand(sku, channel).unitsCancelled += units;
    }

    void shipped(String sku, Channel channel, int units) {
        demand(sku, channel).unitsShipped += units;
    }

    void returned(String sku, Channel channel, int units) {
        demand(sku, channel).unitsReturned += units;
    }

    private Demand demand(String sku, Channel channel) {
        return demand.computeIfAbsent(sku, s -> new TreeMap<>()).computeIfAbsent(channel, c -> new Demand());
    }
}
