package dev.omnistock.inventory.model;

import dev.omnistock.generator.model.InventoryOracle;
import dev.omnistock.generator.model.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Turns random intents into concrete steps, looking at the oracle's state so that most steps make
 * sense (a shipment mostly ships a line that is open, from where it is reserved) while some do not (an
 * unknown order, too many units, a duplicate with a new event time). Steps are built from the intents
 * one at a time, so {@link SeededRuns} shrinks a failing run by shrinking its intents.
 */
public final class Scenario {

    /** One random choice; what each number means depends on the kind. */
    public record Intent(int kind, int a, int b, int c, int d) {

        /** a, b, c or d by position (0 to 3), for shrinking. */
        int number(int field) {
            return switch (field) {
                case 0 -> a;
                case 1 -> b;
                case 2 -> c;
                default -> d;
            };
        }

        Intent withNumber(int field, int value) {
            return switch (field) {
                case 0 -> new Intent(kind, value, b, c, d);
                case 1 -> new Intent(kind, a, value, c, d);
                case 2 -> new Intent(kind, a, b, value, d);
                default -> new Intent(kind, a, b, c, value);
            };
        }
    }

    public static final List<String> SKUS = List.of("SKU-1", "SKU-2", "SKU-3");
    public static final List<String> LOCATIONS = List.of("DC-1", "DC-2", "STORE-1");
    public static final long MINUTE = 60_000L;

    /** Uniform: numbers leaning towards 0 would mean mostly stock counts. */
    public static Intent intent(SplittableRandom random) {
        return new Intent(random.nextInt(100), random.nextInt(1000), random.nextInt(1000), random.nextInt(1000), random.nextInt(1000));
    }

    private final InventoryOracle oracle;
    private final boolean deliveries;
    private final List<Step.External> sent = new ArrayList<>();
    private int ids;
    private int orderIds;

    /** @param deliveries whether steps may deliver messages between the sides (false: the caller drains after each step) */
    public Scenario(InventoryOracle oracle, boolean deliveries) {
        this.oracle = oracle;
        this.deliveries = deliveries;
    }

    private String id() {
        return "evt-" + ++ids;
    }

    private static <T> T pick(List<T> from, int n) {
        return from.get(Math.floorMod(n, from.size()));
    }

    /** The steps one intent stands for (a till sale is a placement and its handing over). */
    public List<Step> next(Intent i) {
        long now = oracle.now();
        int k = i.kind();
        String sku = pick(SKUS, i.a());
        String location = pick(LOCATIONS, i.b());
        List<Step> steps = new ArrayList<>();
        if (k < 10) {
            long late = i.d() % 4 == 0 ? (i.d() % 10) * MINUTE : 0; // sometimes a count taken before the last movements
            steps.add(new Step.Stock(id(), now - late, sku, location, Step.StockKind.COUNT, i.c() % 13, null, null));
        } else if (k < 16) {
            String inbound = i.c() % 3 == 0 ? null : "PO-" + i.c() % 3;
            steps.add(new Step.Stock(id(), now, sku, location, Step.StockKind.RECEIVE, 1 + i.d() % 6, inbound, null));
        } else if (k < 21) {
            int delta = (i.c() % 2 == 0 ? 1 : -1) * (1 + i.d() % 5);
            steps.add(new Step.Stock(id(), now, sku, location, Step.StockKind.ADJUST, delta, null, null));
        } else if (k < 24) {
            steps.add(new Step.Stock(id(), now, sku, location, i.c() % 2 == 0 ? Step.StockKind.DAMAGE : Step.StockKind.RELEASE_HOLD,
                    1 + i.d() % 3, null, null));
        } else if (k < 27) {
            Long expectedAt = i.d() % 3 == 0 ? null : now + (i.d() % 180) * MINUTE;
            steps.add(new Step.Stock(id(), now, sku, location, Step.StockKind.EXPECT, 1 + i.c() % 10, "PO-" + i.c() % 3, expectedAt));
        } else if (k < 29) {
            steps.add(new Step.SafetyStock(id(), now, sku, i.c() % 2 == 0 ? null : location, i.d() % 3));
        } else if (k < 42) {
            steps.addAll(place(i, now));
        } else if (k < 50) {
            steps.add(cancel(i, now));
        } else if (k < 60) {
            steps.add(ship(i, now));
        } else if (k < 63) {
            steps.add(returned(i, now));
        } else if (k < 68) {
            duplicate(i, now).ifPresent(steps::add);
        } else if (k < 76) {
            steps.add(new Step.Advance((1 + i.a() % 120) * MINUTE));
        } else if (deliveries) {
            deliver(i).ifPresent(steps::add);
        }
        steps.stream().filter(s -> s instanceof Step.External).map(s -> (Step.External) s).forEach(sent::add);
        return steps;
    }

    private List<Step> place(Intent i, long now) {
        String orderId = "O-" + ++orderIds;
        int lineCount = 1 + i.a() % 3;
        List<Step.Line> lines = new ArrayList<>();
        for (int n = 0; n < lineCount; n++) {
            lines.add(new Step.Line(Integer.toString(n + 1), pick(SKUS, i.b() / (n + 1)), 1 + (i.c() / (n + 1)) % 5));
        }
        int type = i.d() % 10;
        if (type == 0) {
            // A till sale: sold and handed over at the store at once.
            Step.Place sale = new Step.Place(id(), now, orderId, true, false, "STORE-1", lines);
            return List.of(sale, new Step.Ship(id(), now, orderId, "STORE-1", lines));
        }
        boolean pickup = type <= 2;
        String requested = pickup ? pick(LOCATIONS, i.d() / 10) : (type <= 5 ? pick(LOCATIONS, i.d() / 10) : null);
        return List.of(new Step.Place(id(), now, orderId, false, pickup, requested, lines));
    }

    private String someOrder(int n) {
        List<String> known = List.copyOf(oracle.orders().keySet());
        return known.isEmpty() || n % 10 == 0 ? "O-unknown-" + n % 3 : pick(known, n);
    }

    private Step cancel(Intent i, long now) {
        String orderId = someOrder(i.a());
        InventoryOracle.OrderView order = oracle.orders().get(orderId);
        boolean whole = i.b() % 3 == 0;
        Map<String, Integer> lines = new LinkedHashMap<>();
        if (!whole) {
            lines.put(order == null ? "1" : pick(List.copyOf(order.lines().keySet()), i.c()), 1 + i.d() % 4);
        }
        return new Step.Cancel(id(), now, orderId, whole, lines);
    }

    private Step ship(Intent i, long now) {
        String orderId = someOrder(i.a());
        InventoryOracle.OrderView order = oracle.orders().get(orderId);
        if (order == null) {
            return new Step.Ship(id(), now, orderId, pick(LOCATIONS, i.b()), List.of(new Step.Line("1", pick(SKUS, i.c()), 1)));
        }
        String lineId = pick(List.copyOf(order.lines().keySet()), i.b());
        InventoryOracle.LineView line = order.lines().get(lineId);
        // Mostly from where the line is reserved, and no more than is open.
        Map<String, Integer> held = oracle.reservations().getOrDefault(line.sku(), Map.of()).getOrDefault(orderId + "/" + lineId, Map.of());
        String from = held.isEmpty() || i.c() % 8 == 0 ? pick(LOCATIONS, i.c()) : pick(List.copyOf(held.keySet()), i.c());
        int open = line.quantity() - line.shipped() - line.cancelled() - line.expired();
        int units = i.d() % 6 == 0 ? open + 1 : 1 + i.d() % Math.max(1, Math.min(open, held.getOrDefault(from, open)));
        return new Step.Ship(id(), now, orderId, from, List.of(new Step.Line(lineId, line.sku(), units)));
    }

    private Step returned(Intent i, long now) {
        String orderId = someOrder(i.a());
        return new Step.Return(id(), now, orderId, pick(LOCATIONS, i.b()), new Step.Line("1", pick(SKUS, i.c()), 1 + i.d() % 2),
                i.d() % 3 != 0);
    }

    /** An event sent again: the same id, and sometimes a new event time (a retry stamped anew). */
    private Optional<Step> duplicate(Intent i, long now) {
        if (sent.isEmpty()) {
            return Optional.empty();
        }
        Step.External earlier = pick(sent, i.a());
        long time = i.b() % 2 == 0 ? earlier.eventTime() : now;
        Step copy;
        if (earlier instanceof Step.Stock s) {
            copy = new Step.Stock(s.eventId(), time, s.sku(), s.location(), s.kind(), s.quantity(), s.inboundId(), s.expectedAt());
        } else if (earlier instanceof Step.SafetyStock s) {
            copy = new Step.SafetyStock(s.eventId(), time, s.sku(), s.location(), s.safetyStock());
        } else if (earlier instanceof Step.Place p) {
            copy = new Step.Place(p.eventId(), time, p.orderId(), p.tillSale(), p.pickup(), p.requestedLocation(), p.lines());
        } else if (earlier instanceof Step.Cancel c) {
            copy = new Step.Cancel(c.eventId(), time, c.orderId(), c.whole(), c.lines());
        } else if (earlier instanceof Step.Ship s) {
            copy = new Step.Ship(s.eventId(), time, s.orderId(), s.location(), s.lines());
        } else {
            Step.Return r = (Step.Return) earlier;
            copy = new Step.Return(r.eventId(), time, r.orderId(), r.location(), r.line(), r.resellable());
        }
        return Optional.of(copy);
    }

    private Optional<Step> deliver(Intent i) {
        List<InventoryOracle.Message> inFlight = oracle.inFlight();
        if (inFlight.isEmpty()) {
            return Optional.empty();
        }
        InventoryOracle.Message m = pick(inFlight, i.a());
        return Optional.of(m.action().equals("ANSWER") ? new Step.DeliverAnswer(m.orderId()) : new Step.DeliverCommand(m.key()));
    }
}
