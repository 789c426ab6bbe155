package dev.omnistock.ingestion.generator;

import dev.omnistock.events.Channel;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the pipeline must end with after a generated run: per SKU the network on_hand, committed and
 * unavailable (exact because no order is ever refused and each ships from where it was reserved),
 * and per SKU and channel the demand: units ordered, cancelled, shipped and returned, and revenue.
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
    public final Map<String, Map<Channel, Demand>> demand = new TreeMap<>();

    void onHand(String sku, long units) {
        position(sku).onHand += units;
    }

    void ordered(String sku, Channel channel, int units, BigDecimal amount, String currency) {
        position(sku).committed += units;
        Demand d = demand(sku, channel);
        d.orderLines++;
        d.unitsOrdered += units;
        d.revenue.merge(currency, amount, BigDecimal::add);
    }

    void cancelled(String sku, Channel channel, int units) {
        position(sku).committed -= units;
        demand(sku, channel).unitsCancelled += units;
    }

    void shipped(String sku, Channel channel, int units) {
        Position p = position(sku);
        p.committed -= units;
        p.onHand -= units;
        demand(sku, channel).unitsShipped += units;
    }

    void returned(String sku, Channel channel, int units, boolean resellable) {
        Position p = position(sku);
        p.onHand += units;
        if (!resellable) {
            p.unavailable += units;
        }
        demand(sku, channel).unitsReturned += units;
    }

    private Position position(String sku) {
        return positions.computeIfAbsent(sku, s -> new Position());
    }

    private Demand demand(String sku, Channel channel) {
        return demand.computeIfAbsent(sku, s -> new TreeMap<>()).computeIfAbsent(channel, c -> new Demand());
    }
}
