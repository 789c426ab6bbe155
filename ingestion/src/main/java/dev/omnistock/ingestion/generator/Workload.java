package dev.omnistock.ingestion.generator;

import dev.omnistock.events.Channel;
import dev.omnistock.events.CountType;
import dev.omnistock.events.FulfillmentMethod;
import dev.omnistock.events.OrderCancelled;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.events.OrderLine;
import dev.omnistock.events.OrderPlaced;
import dev.omnistock.events.OrderShipped;
import dev.omnistock.events.ReturnReceived;
import dev.omnistock.events.ReturnedLine;
import dev.omnistock.events.ShippedLine;
import dev.omnistock.events.StockCounted;
import dev.omnistock.events.StockEvent;
import dev.omnistock.events.StockReceived;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * A deterministic omnichannel event stream: the same seed gives the same events. SKU popularity
 * follows a Zipf-like curve; each channel has its own share, basket size and cancellation rate;
 * event times follow a daily rhythm (quiet at night, busy in the evening). Orders are later
 * cancelled, or shipped and sometimes returned; stock is restocked. Every SKU starts with a count at
 * every location deep enough that no order is refused, so {@link GroundTruth} can say exactly what the
 * pipeline must end with.
 */
public final class Workload {

    /** A channel's behaviour. */
    record ChannelMix(Channel channel, double share, int maxLines, double cancelRate, FulfillmentMethod fulfillment) {
    }

    static final List<ChannelMix> CHANNELS = List.of(
            new ChannelMix(Channel.WEB, 0.40, 4, 0.08, FulfillmentMethod.SHIP_TO_HOME),
            new ChannelMix(Channel.MOBILE_APP, 0.25, 3, 0.10, FulfillmentMethod.SHIP_TO_HOME),
            new ChannelMix(Channel.MARKETPLACE, 0.20, 2, 0.05, FulfillmentMethod.SHIP_TO_HOME),
            new ChannelMix(Channel.STORE_POS, 0.10, 5, 0.00, FulfillmentMethod.PICKUP_IN_STORE),
            new ChannelMix(Channel.SOCIAL, 0.05, 1, 0.15, FulfillmentMethod.SHIP_TO_HOME));

    /** An event with the Kafka key it goes under. */
    public record Keyed(String key, Object event) {
        public boolean isOrder() {
            return event instanceof OrderEvent;
        }
    }

    private record OpenOrder(String orderId, String location, Channel channel, List<OrderLine> lines) {
    }

    private final int skus;
    private final int locations;
    private final Random random;
    private final double[] popularityCdf;
    private final GroundTruth truth = new GroundTruth();
    private final List<OpenOrder> open = new ArrayList<>();
    private final List<OpenOrder> shipped = new ArrayList<>();
    private Instant clock = Instant.parse("2026-11-23T00:00:00Z");
    private long orderNumber;
    private boolean initialCountsDone;
    private int initialIndex;

    public Workload(int skus, int locations, long seed) {
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

    public GroundTruth truth() {
        return truth;
    }

    /** The next event: first a count for every SKU at every location, then the mix. */
    public Keyed next() {
        if (!initialCountsDone) {
            int s = initialIndex / locations;
            int l = initialIndex % locations;
            if (++initialIndex == skus * locations) {
                initialCountsDone = true;
            }
            // Deep enough for any demand the run can put on it: nothing is ever refused.
            int depth = 1_000_000;
            truth.onHand(sku(s), depth);
            return new Keyed(sku(s), stock(sku(s), location(l), new StockCounted(depth, CountType.WMS_SNAPSHOT)));
        }
        advanceClock();
        double kind = random.nextDouble();
        if (kind < 0.55 || open.isEmpty()) {
            return place();
        }
        if (kind < 0.62) {
            return cancel();
        }
        if (kind < 0.87) {
            return ship();
        }
        if (kind < 0.92 && !shipped.isEmpty()) {
            return returned();
        }
        String sku = popularSku();
        int quantity = 10 + random.nextInt(91);
        truth.onHand(sku, quantity);
        return new Keyed(sku, stock(sku, location(random.nextInt(locations)), new StockReceived(quantity, null)));
    }

    private Keyed place() {
        ChannelMix mix = channel();
        String orderId = "O-" + (++orderNumber);
        int lineCount = 1 + random.nextInt(mix.maxLines());
        List<OrderLine> lines = new ArrayList<>();
        for (int i = 1; i <= lineCount; i++) {
            String sku = popularSku();
            int quantity = 1 + random.nextInt(3);
            BigDecimal price = BigDecimal.valueOf(499 + (Math.abs(sku.hashCode()) % 5000), 2).setScale(4);
            lines.add(new OrderLine(Integer.toString(i), sku, quantity, price));
            truth.ordered(sku, mix.channel(), quantity, price.multiply(BigDecimal.valueOf(quantity)), "EUR");
        }
        String location = location(random.nextInt(locations));
        OpenOrder order = new OpenOrder(orderId, location, mix.channel(), lines);
        // POS sales are handed over at once; other channels wait for a cancellation or a shipment.
        open.add(order);
        return new Keyed(orderId, order(orderId, mix.channel(), OrderPlaced.newBuilder().setCustomerId("C-" + random.nextInt(200_000))
                .setCurrency("EUR").setLines(lines).setFulfillmentMethod(mix.fulfillment()).setRequestedLocationId(location).build()));
    }

    private Keyed cancel() {
        OpenOrder order = takeOpen();
        ChannelMix mix = CHANNELS.stream().filter(c -> c.channel() == order.channel()).findFirst().orElseThrow();
        if (random.nextDouble() >= mix.cancelRate() * 5) {
            open.add(order); // most orders are not cancelled: this one stays open
            return ship();
        }
        order.lines().forEach(l -> truth.cancelled(l.getSku(), order.channel(), l.getQuantity()));
        return new Keyed(order.orderId(), order(order.orderId(), order.channel(), new OrderCancelled(true, List.of(), "customer request")));
    }

    private Keyed ship() {
        OpenOrder order = takeOpen();
        order.lines().forEach(l -> truth.shipped(l.getSku(), order.channel(), l.getQuantity()));
        shipped.add(order);
        if (shipped.size() > 10_000) {
            shipped.remove(0);
        }
        return new Keyed(order.orderId(), order(order.orderId(), order.channel(), new OrderShipped("SH-" + order.orderId(), order.location(),
                order.lines().stream().map(l -> new ShippedLine(l.getLineId(), l.getSku(), l.getQuantity())).toList(), "DHL", null)));
    }

    private Keyed returned() {
        OpenOrder order = removeAt(shipped, random.nextInt(shipped.size()));
        OrderLine line = order.lines().get(0);
        boolean resellable = random.nextDouble() < 0.8;
        truth.returned(line.getSku(), order.channel(), line.getQuantity(), resellable);
        return new Keyed(order.orderId(), order(order.orderId(), order.channel(), new ReturnReceived("R-" + order.orderId(), order.location(),
                List.of(new ReturnedLine(line.getLineId(), line.getSku(), line.getQuantity(), resellable, resellable ? null : "damaged")))));
    }

    private OpenOrder takeOpen() {
        return removeAt(open, random.nextInt(open.size()));
    }

    /** Removes in constant time (the last element takes the gap), so long runs with many open orders stay fast. */
    private static OpenOrder removeAt(List<OpenOrder> orders, int index) {
        OpenOrder taken = orders.get(index);
        OpenOrder last = orders.remove(orders.size() - 1);
        if (index < orders.size()) {
            orders.set(index, last);
        }
        return taken;
    }

    /** Simulated time moves faster at night: events per simulated minute follow the day's rhythm. */
    private void advanceClock() {
        int hour = clock.atZone(ZoneOffset.UTC).getHour();
        double intensity = 0.2 + 0.8 * Math.max(0, Math.sin(Math.PI * (hour - 6) / 16.0));
        clock = clock.plus(Duration.ofMillis((long) (200 / intensity)));
    }

    private ChannelMix channel() {
        double pick = random.nextDouble();
        double cumulative = 0;
        for (ChannelMix mix : CHANNELS) {
            cumulative += mix.share();
            if (pick < cumulative) {
                return mix;
            }
        }
        return CHANNELS.get(CHANNELS.size() - 1);
    }

    private String popularSku() {
        int rank = Arrays.binarySearch(popularityCdf, random.nextDouble());
        return sku(rank < 0 ? Math.min(skus - 1, -rank - 1) : rank);
    }

    private OrderEvent order(String orderId, Channel channel, Object payload) {
        return OrderEvent.newBuilder().setEventId(new UUID(random.nextLong(), random.nextLong())).setEventTime(clock)
                .setChannel(channel).setSourceSystem("generator").setOrderId(orderId).setPayload(payload).build();
    }

    private StockEvent stock(String sku, String location, Object payload) {
        return StockEvent.newBuilder().setEventId(new UUID(random.nextLong(), random.nextLong())).setEventTime(clock)
                .setChannel(Channel.WAREHOUSE).setSourceSystem("generator").setSku(sku).setLocationId(location).setPayload(payload).build();
    }

    public static String sku(int index) {
        return String.format("SKU-%05d", index);
    }

    public static String location(int index) {
        return String.format("LOC-%02d", index);
    }

}
