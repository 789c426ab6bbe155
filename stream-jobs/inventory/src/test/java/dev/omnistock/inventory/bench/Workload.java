package dev.omnistock.inventory.bench;

import dev.omnistock.events.AdjustmentReason;
import dev.omnistock.events.Channel;
import dev.omnistock.events.CountType;
import dev.omnistock.events.FulfillmentMethod;
import dev.omnistock.events.OrderCancelled;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.events.OrderLine;
import dev.omnistock.events.OrderPlaced;
import dev.omnistock.events.StockAdjusted;
import dev.omnistock.events.StockCounted;
import dev.omnistock.events.StockEvent;
import dev.omnistock.events.StockReceived;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * A deterministic omnichannel event mix for benchmarks: SKU popularity follows a Zipf-like curve,
 * channels have different shares, and the stream mixes orders (60%), cancellations (10%), receipts
 * (20%), shrink adjustments (5%) and counts (5%). The same seed gives the same events.
 */
final class Workload {

    private static final Channel[] CHANNELS = {Channel.WEB, Channel.MOBILE_APP, Channel.MARKETPLACE, Channel.STORE_POS};
    private static final double[] CHANNEL_SHARE = {0.45, 0.25, 0.20, 0.10};

    private final int skus;
    private final int locations;
    private final Random random;
    private final double[] popularityCdf;
    private long clock = Instant.now().minusSeconds(3_600).toEpochMilli();
    private long orders;

    Workload(int skus, int locations, long seed) {
        this.skus = skus;
        this.locations = locations;
        this.random = new Random(seed);
        this.popularityCdf = new double[skus];
        double sum = 0;
        for (int rank = 0; rank < skus; rank++) {
            sum += 1.0 / (rank + 1);
            popularityCdf[rank] = sum;
        }
        for (int rank = 0; rank < skus; rank++) {
            popularityCdf[rank] /= sum;
        }
    }

    int skus() {
        return skus;
    }

    int locations() {
        return locations;
    }

    /** A count for every SKU at every location, popular SKUs stocked deeper. */
    List<StockEvent> initialCounts() {
        List<StockEvent> counts = new ArrayList<>(skus * locations);
        for (int s = 0; s < skus; s++) {
            for (int l = 0; l < locations; l++) {
                int depth = 20 + random.nextInt(20) + (int) (2_000.0 / (s + 1));
                counts.add(stock(sku(s), location(l), new StockCounted(depth, CountType.WMS_SNAPSHOT)));
            }
        }
        return counts;
    }

    /** The next event: an OrderEvent or a StockEvent. */
    Object next() {
        double kind = random.nextDouble();
        if (kind < 0.60 || orders == 0) {
            return placeOrder();
        }
        if (kind < 0.70) {
            String orderId = "O-" + (1 + (long) (random.nextDouble() * orders));
            return order(orderId, new OrderCancelled(true, List.of(), "customer request"));
        }
        String sku = popularSku();
        String location = location(random.nextInt(locations));
        if (kind < 0.90) {
            return stock(sku, location, new StockReceived(5 + random.nextInt(46), null));
        }
        if (kind < 0.95) {
            return stock(sku, location, new StockAdjusted(-(1 + random.nextInt(3)), AdjustmentReason.SHRINK, null));
        }
        return stock(sku, location, new StockCounted(20 + random.nextInt(100), CountType.CYCLE_COUNT));
    }

    /** Latency probes: a count that always changes a position, on a pool of 1,000 popular SKUs. */
    StockEvent latencyProbe(long i) {
        return StockEvent.newBuilder().setEventId(UUID.randomUUID()).setEventTime(Instant.now()).setChannel(Channel.WAREHOUSE)
                .setSourceSystem("benchmark").setSku(sku((int) (i % Math.min(1_000, skus)))).setLocationId(location(0))
                .setPayload(new StockCounted(500 + (int) (i % 7), CountType.CYCLE_COUNT)).build();
    }

    private OrderEvent placeOrder() {
        String orderId = "O-" + (++orders);
        int lineCount = 1 + random.nextInt(3);
        List<OrderLine> lines = new ArrayList<>();
        for (int i = 1; i <= lineCount; i++) {
            lines.add(new OrderLine(Integer.toString(i), popularSku(), 1 + random.nextInt(3), new BigDecimal("19.9900")));
        }
        return order(orderId, OrderPlaced.newBuilder().setCustomerId("C-" + random.nextInt(100_000)).setCurrency("EUR")
                .setLines(lines).setFulfillmentMethod(FulfillmentMethod.SHIP_TO_HOME).build());
    }

    private OrderEvent order(String orderId, Object payload) {
        return OrderEvent.newBuilder().setEventId(new UUID(random.nextLong(), random.nextLong())).setEventTime(tick())
                .setChannel(channel()).setSourceSystem("benchmark").setOrderId(orderId).setPayload(payload).build();
    }

    private StockEvent stock(String sku, String location, Object payload) {
        return StockEvent.newBuilder().setEventId(new UUID(random.nextLong(), random.nextLong())).setEventTime(tick())
                .setChannel(Channel.WAREHOUSE).setSourceSystem("benchmark").setSku(sku).setLocationId(location)
                .setPayload(payload).build();
    }

    private String popularSku() {
        int rank = Arrays.binarySearch(popularityCdf, random.nextDouble());
        return sku(rank < 0 ? Math.min(skus - 1, -rank - 1) : rank);
    }

    private Channel channel() {
        double pick = random.nextDouble();
        double cumulative = 0;
        for (int i = 0; i < CHANNELS.length; i++) {
            cumulative += CHANNEL_SHARE[i];
            if (pick < cumulative) {
                return CHANNELS[i];
            }
        }
        return CHANNELS[CHANNELS.length - 1];
    }

    private Instant tick() {
        return Instant.ofEpochMilli(++clock);
    }

    private static String sku(int index) {
        return String.format("SKU-%05d", index);
    }

    private static String location(int index) {
        return String.format("LOC-%02d", index);
    }
}
