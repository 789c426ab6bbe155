package dev.omnistock.generator;

import dev.omnistock.events.CancelledLine;
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
import dev.omnistock.generator.model.InventoryOracle;
import dev.omnistock.generator.model.Step;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.common.utils.Utils;

/**
 * A deterministic omnichannel event stream: the same settings give the same events. SKU popularity
 * follows a Zipf-like curve; each channel has its own share, basket size and cancellation rate;
 * event times follow a daily rhythm (quiet at night, busy in the evening), starting at the settings'
 * start. Orders are cancelled (whole or in part), shipped and sometimes returned; till sales are
 * handed over at once; stock is restocked; now and then an event is sent again (a retry).
 *
 * <p>Every event also goes through {@link InventoryOracle}, the generator's own model of the inventory
 * rules, which gives the {@link GroundTruth}: every SKU's position and every order's decision.
 *
 * <p>In {@link Mode#DEEP} every SKU starts deep enough that no order is ever refused. In
 * {@link Mode#SCARCE} every fourth SKU starts with a few units per location, so orders are refused,
 * and the truth is still exact because nothing can race for a scarce SKU: its orders have one line
 * and are keyed to the orders partition of the SKU itself, so one order task sends all its line
 * commands in the order they were generated; its only stock movements are the first counts, sent
 * before any order, and returns, which go the orders' way. Two things would let timing decide who gets
 * the last units, so scarce SKUs have neither: a restock could overtake an order placed just before it
 * on its way to the ledger, and a cancel that arrives before its order's answer releases only when the
 * answer comes, after later orders may have reserved (partial cancels are made on deep orders only).
 */
public final class Workload {

    public enum Mode { DEEP, SCARCE }

    /**
     * @param ordersPartitions partitions of the orders topic (SCARCE keys each scarce SKU's orders to one)
     */
    public record Settings(int skus, int locations, long seed, Mode mode, Instant start, int ordersPartitions) {

        /** Deep stock, starting now. */
        public static Settings deep(int skus, int locations, long seed) {
            return new Settings(skus, locations, seed, Mode.DEEP, Instant.now().truncatedTo(ChronoUnit.MILLIS), 6);
        }
    }

    /** A channel's behaviour. */
    record ChannelMix(Channel channel, double share, int maxLines, double cancelRate, FulfillmentMethod fulfillment) {
    }

    static final List<ChannelMix> CHANNELS = List.of(
            new ChannelMix(Channel.WEB, 0.40, 4, 0.08, FulfillmentMethod.SHIP_TO_HOME),
            new ChannelMix(Channel.MOBILE_APP, 0.25, 3, 0.10, FulfillmentMethod.SHIP_TO_HOME),
            new ChannelMix(Channel.MARKETPLACE, 0.20, 2, 0.05, FulfillmentMethod.SHIP_TO_HOME),
            new ChannelMix(Channel.STORE_POS, 0.10, 5, 0.00, FulfillmentMethod.PICKUP_IN_STORE),
            new ChannelMix(Channel.SOCIAL, 0.05, 1, 0.15, FulfillmentMethod.SHIP_TO_HOME));

    /** An event with the Kafka key it goes under; a retry is an event sent before, sent again. */
    public record Keyed(String key, Object event, boolean retry) {

        Keyed(String key, Object event) {
            this(key, event, false);
        }

        public boolean isOrder() {
            return event instanceof OrderEvent;
        }

        public String eventId() {
            return event instanceof OrderEvent o ? o.getEventId().toString() : ((StockEvent) event).getEventId().toString();
        }
    }

    /** An order as the generator placed it; units shipped and cancelled as the analytics job counts them. */
    private static final class Placed {
        final String orderId;
        final String location;
        final Channel channel;
        final List<OrderLine> lines;
        final int[] shipped;
        final int[] cancelled;

        Placed(String orderId, String location, Channel channel, List<OrderLine> lines) {
            this.orderId = orderId;
            this.location = location;
            this.channel = channel;
            this.lines = lines;
            this.shipped = new int[lines.size()];
            this.cancelled = new int[lines.size()];
        }
    }

    private final Settings settings;
    /** Order ids carry the seed, so that runs with other seeds against the same topics place new orders. */
    private final String orderPrefix;
    private final Random random;
    private final double[] popularityCdf;
    private final InventoryOracle oracle;
    private final GroundTruth truth = new GroundTruth();
    private final List<Placed> open = new ArrayList<>();
    private final List<Placed> shipped = new ArrayList<>();
    /** Events to send next, made when they are sent so that the truth never runs ahead of what was sent. */
    private final Deque<Supplier<Keyed>> queued = new ArrayDeque<>();
    /** Recent events, for retries. */
    private final List<Keyed> recent = new ArrayList<>();
    private final Set<String> wholeCancelled = new HashSet<>();
    private Instant clock;
    private long orderNumber;
    private int initialIndex;

    public Workload(int skus, int locations, long seed) {
        this(Settings.deep(skus, locations, seed));
    }

    public Workload(Settings settings) {
        this.orderPrefix = "O-" + Long.toUnsignedString(settings.seed(), 36).toUpperCase(java.util.Locale.ROOT) + "-";
        this.settings = settings;
        this.random = new Random(settings.seed());
        this.clock = settings.start();
        this.popularityCdf = new double[settings.skus()];
        double sum = 0;
        for (int rank = 0; rank < settings.skus(); rank++) {
            sum += 1.0 / (rank + 1);
            popularityCdf[rank] = sum;
        }
        for (int rank = 0; rank < settings.skus(); rank++) {
            popularityCdf[rank] /= sum;
        }
        // The service's defaults: no preferred location, no split lines, whole orders only.
        this.oracle = new InventoryOracle(new InventoryOracle.Settings(List.of(), false, false,
                Duration.ofDays(7).toMillis(), Duration.ofDays(14).toMillis(), 5, 2), clock.toEpochMilli());
    }

    /** What the pipeline must end with after the events so far. */
    public GroundTruth truth() {
        truth.positions.clear();
        oracle.positions().forEach((sku, perLocation) -> {
            GroundTruth.Position p = new GroundTruth.Position();
            perLocation.values().forEach(q -> {
                p.onHand += q.onHand();
                p.committed += q.committed();
                p.unavailable += q.unavailable();
            });
            truth.positions.put(sku, p);
        });
        truth.decisions.clear();
        for (String decision : oracle.decisions()) {
            String orderId = decision.substring(0, decision.indexOf(' '));
            // An order cancelled whole may be cancelled before its answers come back, and is then never decided.
            if (!wholeCancelled.contains(orderId)) {
                truth.decisions.put(orderId, decision.substring(decision.indexOf(' ') + 1));
            }
        }
        truth.undecidable.clear();
        truth.undecidable.addAll(wholeCancelled);
        truth.orders.clear();
        truth.orders.putAll(oracle.orders());
        return truth;
    }

    /** The next event: first a count for every SKU at every location, then the mix. */
    public Keyed next() {
        if (initialIndex < settings.skus() * settings.locations()) {
            int s = initialIndex / settings.locations();
            int l = initialIndex % settings.locations();
            initialIndex++;
            // Deep: more than any run can sell, so nothing is ever refused. Scarce: a few units.
            int units = scarce(sku(s)) ? random.nextInt(7) : 1_000_000;
            return stock(sku(s), location(l), new StockCounted(units, CountType.WMS_SNAPSHOT));
        }
        if (!queued.isEmpty()) {
            return queued.poll().get();
        }
        advanceClock();
        double kind = random.nextDouble();
        if (kind < 0.03 && !recent.isEmpty()) {
            return retry();
        }
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
        String sku = deepSku();
        return stock(sku, location(random.nextInt(settings.locations())), new StockReceived(10 + random.nextInt(91), null));
    }

    private boolean scarce(String sku) {
        return settings.mode() == Mode.SCARCE && Integer.parseInt(sku.substring(4)) % 4 == 0;
    }

    private String deepSku() {
        for (int tries = 0; tries < 20; tries++) {
            String sku = popularSku();
            if (!scarce(sku)) {
                return sku;
            }
        }
        return sku(1); // never scarce
    }

    private Keyed place() {
        ChannelMix picked = channel();
        String first = popularSku();
        String orderId;
        List<OrderLine> lines = new ArrayList<>();
        if (scarce(first)) {
            orderId = orderIdOnThePartitionOf(first);
            lines.add(line(1, first));
        } else {
            orderId = orderPrefix + (++orderNumber);
            int lineCount = 1 + random.nextInt(picked.maxLines());
            lines.add(line(1, first));
            for (int i = 2; i <= lineCount; i++) {
                lines.add(line(i, deepSku()));
            }
        }
        String location = location(random.nextInt(settings.locations()));
        // Only what is on the shelf can be sold at a till (the ledger may have promised it to a pickup already,
        // and then raises OVERSOLD); what is not, the customer orders online instead.
        boolean onTheShelf = lines.stream().allMatch(l -> oracle.sellableOnHand(l.getSku(), location) >= l.getQuantity());
        ChannelMix mix = picked.channel() == Channel.STORE_POS && !onTheShelf ? CHANNELS.get(0) : picked;
        lines.forEach(l -> truth.ordered(l.getSku(), mix.channel(), l.getQuantity(),
                l.getUnitPrice().multiply(BigDecimal.valueOf(l.getQuantity())), "EUR"));
        Placed order = new Placed(orderId, location, mix.channel(), lines);
        Keyed placed = order(orderId, mix.channel(), OrderPlaced.newBuilder().setCustomerId("C-" + random.nextInt(200_000))
                .setCurrency("EUR").setLines(lines).setFulfillmentMethod(mix.fulfillment()).setRequestedLocationId(location).build());
        if (mix.channel() == Channel.STORE_POS) {
            // A till sale: sold and handed over at once.
            queued.add(() -> shipment(order, lines.stream().map(l -> new ShippedLine(l.getLineId(), l.getSku(), l.getQuantity())).toList(), location));
        } else {
            open.add(order);
        }
        return placed;
    }

    private OrderLine line(int number, String sku) {
        int quantity = 1 + random.nextInt(3);
        BigDecimal price = BigDecimal.valueOf(499 + (Math.abs(sku.hashCode()) % 5000), 2).setScale(4);
        return new OrderLine(Integer.toString(number), sku, quantity, price);
    }

    /** An order id that Kafka's default partitioner puts where it puts the SKU's own name. */
    private String orderIdOnThePartitionOf(String sku) {
        int target = partition(sku);
        String base = orderPrefix + (++orderNumber);
        String candidate = base;
        for (int suffix = 1; partition(candidate) != target; suffix++) {
            candidate = base + "-" + suffix;
        }
        return candidate;
    }

    private int partition(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % settings.ordersPartitions();
    }

    private Keyed cancel() {
        Placed order = takeOpen();
        ChannelMix mix = CHANNELS.stream().filter(c -> c.channel() == order.channel).findFirst().orElseThrow();
        // A cancel of an order still waiting for its answer releases when the answer comes, after reservations
        // of later orders may have gone ahead: which of them wins scarce stock then depends on timing, so orders
        // of scarce SKUs are not cancelled.
        if (random.nextDouble() >= mix.cancelRate() * 5 || order.lines.stream().anyMatch(l -> scarce(l.getSku()))) {
            open.add(order); // most orders are not cancelled: this one stays open
            return ship();
        }
        if (settings.mode() == Mode.SCARCE && random.nextBoolean()) {
            // Part of one line: the order stays open for the rest.
            int index = random.nextInt(order.lines.size());
            OrderLine line = order.lines.get(index);
            int units = 1 + random.nextInt(line.getQuantity());
            int counted = Math.min(units, line.getQuantity() - order.shipped[index] - order.cancelled[index]);
            order.cancelled[index] += counted;
            truth.cancelled(line.getSku(), order.channel, counted);
            open.add(order);
            return order(order.orderId, order.channel, new OrderCancelled(false,
                    List.of(new CancelledLine(line.getLineId(), line.getSku(), units)), "customer request"));
        }
        for (int i = 0; i < order.lines.size(); i++) {
            int units = order.lines.get(i).getQuantity() - order.shipped[i] - order.cancelled[i];
            order.cancelled[i] += units;
            truth.cancelled(order.lines.get(i).getSku(), order.channel, units);
        }
        wholeCancelled.add(order.orderId);
        return order(order.orderId, order.channel, new OrderCancelled(true, List.of(), "customer request"));
    }

    /** Ships every open unit of the order's reserved lines that are on the shelf, from where they are reserved. */
    private Keyed ship() {
        Placed order = takeOpen();
        InventoryOracle.OrderView view = oracle.order(order.orderId);
        List<ShippedLine> lines = new ArrayList<>();
        String from = order.location;
        for (int i = 0; i < order.lines.size(); i++) {
            OrderLine line = order.lines.get(i);
            InventoryOracle.LineView state = view.lines().get(line.getLineId());
            int units = state.quantity() - state.shipped() - state.cancelled() - state.expired();
            Map<String, Integer> held = oracle.reservation(line.getSku(), order.orderId, line.getLineId());
            String at = held.isEmpty() ? null : held.keySet().iterator().next();
            // Only what is physically there ships: after a till sale oversold a store, a pickup there waits.
            if (state.reserved() && units > 0 && held.size() == 1 && (lines.isEmpty() || at.equals(from))
                    && oracle.sellableOnHand(line.getSku(), at) >= units) {
                from = at;
                lines.add(new ShippedLine(line.getLineId(), line.getSku(), units));
            }
        }
        if (lines.isEmpty()) {
            return place(); // refused, or nothing left to ship: place another order instead
        }
        shipped.add(order);
        if (shipped.size() > 10_000) {
            removeAt(shipped, 0);
        }
        return shipment(order, lines, from);
    }

    private Keyed shipment(Placed order, List<ShippedLine> lines, String from) {
        for (ShippedLine l : lines) {
            int index = Integer.parseInt(l.getLineId()) - 1;
            order.shipped[index] += l.getQuantity();
            truth.shipped(l.getSku(), order.channel, l.getQuantity());
        }
        return order(order.orderId, order.channel, new OrderShipped("SH-" + order.orderId + "-" + from, from, lines, "DHL", null));
    }

    private Keyed returned() {
        Placed order = removeAt(shipped, random.nextInt(shipped.size()));
        int index = -1;
        for (int i = 0; i < order.lines.size() && index < 0; i++) {
            if (order.shipped[i] > 0) {
                index = i;
            }
        }
        OrderLine line = order.lines.get(index);
        int units = order.shipped[index];
        boolean resellable = random.nextDouble() < 0.8;
        truth.returned(line.getSku(), order.channel, units);
        return order(order.orderId, order.channel, new ReturnReceived("R-" + order.orderId, order.location,
                List.of(new ReturnedLine(line.getLineId(), line.getSku(), units, resellable, resellable ? null : "damaged"))));
    }

    /** An event sent again, as a client retries: the same event id, half the time with a new event time. */
    private Keyed retry() {
        Keyed earlier = recent.get(random.nextInt(recent.size()));
        boolean restamped = random.nextBoolean();
        if (earlier.event() instanceof OrderEvent o) {
            OrderEvent copy = OrderEvent.newBuilder(o).setEventTime(restamped ? clock : o.getEventTime()).build();
            return emit(new Keyed(earlier.key(), copy, true), step(copy));
        }
        StockEvent s = (StockEvent) earlier.event();
        StockEvent copy = StockEvent.newBuilder(s).setEventTime(restamped ? clock : s.getEventTime()).build();
        return emit(new Keyed(earlier.key(), copy, true), step(copy));
    }

    private Placed takeOpen() {
        return removeAt(open, random.nextInt(open.size()));
    }

    /** Removes in constant time (the last element takes the gap), so long runs with many open orders stay fast. */
    private static Placed removeAt(List<Placed> orders, int index) {
        Placed taken = orders.get(index);
        Placed last = orders.remove(orders.size() - 1);
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
        return sku(rank < 0 ? Math.min(settings.skus() - 1, -rank - 1) : rank);
    }

    private Keyed order(String orderId, Channel channel, Object payload) {
        OrderEvent event = OrderEvent.newBuilder().setEventId(new UUID(random.nextLong(), random.nextLong())).setEventTime(clock)
                .setChannel(channel).setSourceSystem("generator").setOrderId(orderId).setPayload(payload).build();
        return remember(emit(new Keyed(orderId, event), step(event)));
    }

    private Keyed stock(String sku, String location, Object payload) {
        StockEvent event = StockEvent.newBuilder().setEventId(new UUID(random.nextLong(), random.nextLong())).setEventTime(clock)
                .setChannel(Channel.WAREHOUSE).setSourceSystem("generator").setSku(sku).setLocationId(location).setPayload(payload).build();
        return remember(emit(new Keyed(sku, event), step(event)));
    }

    private Keyed remember(Keyed keyed) {
        if (recent.size() < 1_000) {
            recent.add(keyed);
        } else {
            recent.set(random.nextInt(recent.size()), keyed);
        }
        return keyed;
    }

    /** Applies the event to the model, with everything it causes, before it leaves. */
    private Keyed emit(Keyed keyed, Step step) {
        oracle.apply(step);
        oracle.drain();
        return keyed;
    }

    private static Step step(OrderEvent e) {
        String id = e.getEventId().toString();
        long time = e.getEventTime().toEpochMilli();
        Object payload = e.getPayload();
        if (payload instanceof OrderPlaced p) {
            boolean tillSale = e.getChannel() == Channel.STORE_POS;
            return new Step.Place(id, time, e.getOrderId(), tillSale, !tillSale && p.getFulfillmentMethod() == FulfillmentMethod.PICKUP_IN_STORE,
                    p.getRequestedLocationId(), p.getLines().stream().map(l -> new Step.Line(l.getLineId(), l.getSku(), l.getQuantity())).toList());
        } else if (payload instanceof OrderCancelled c) {
            Map<String, Integer> lines = new TreeMap<>();
            c.getLines().forEach(l -> lines.put(l.getLineId(), l.getQuantity()));
            return new Step.Cancel(id, time, e.getOrderId(), c.getWholeOrder(), lines);
        } else if (payload instanceof OrderShipped s) {
            return new Step.Ship(id, time, e.getOrderId(), s.getLocationId(),
                    s.getLines().stream().map(l -> new Step.Line(l.getLineId(), l.getSku(), l.getQuantity())).toList());
        }
        ReturnReceived r = (ReturnReceived) payload;
        ReturnedLine l = r.getLines().get(0);
        return new Step.Return(id, time, e.getOrderId(), r.getLocationId(), new Step.Line(l.getLineId(), l.getSku(), l.getQuantity()),
                l.getResellable());
    }

    private static Step step(StockEvent e) {
        String id = e.getEventId().toString();
        long time = e.getEventTime().toEpochMilli();
        if (e.getPayload() instanceof StockCounted c) {
            return new Step.Stock(id, time, e.getSku(), e.getLocationId(), Step.StockKind.COUNT, c.getOnHand(), null, null);
        }
        StockReceived r = (StockReceived) e.getPayload();
        return new Step.Stock(id, time, e.getSku(), e.getLocationId(), Step.StockKind.RECEIVE, r.getQuantity(), r.getInboundId(), null);
    }

    public static String sku(int index) {
        return String.format("SKU-%05d", index);
    }

    public static String location(int index) {
        return String.format("LOC-%02d", index);
    }
}
