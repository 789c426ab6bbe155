package dev.omnistock.generator;

import dev.omnistock.events.Channel;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the pipeline must end with after a generated run: per SKU the network on_hand, committed and
 * unavailable, and per order its decision, both from the generator's model of the inventory rules; and
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
