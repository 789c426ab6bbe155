package dev.omnistock.inventory.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnistock.inventory.alerts.AlertRule;
import dev.omnistock.inventory.ledger.InventoryRules;
import dev.omnistock.generator.model.InventoryOracle;
import dev.omnistock.generator.model.OrderStatusOracle;
import dev.omnistock.inventory.model.Scenario;
import dev.omnistock.inventory.model.SeededRuns;
import dev.omnistock.generator.model.Step;
import dev.omnistock.inventory.sourcing.SourcingPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The rules against {@link InventoryOracle}, over random sequences of events, deliveries between the two
 * sides in any order the topics allow, and the passing of time. After every step the service's state
 * must equal the oracle's (so a duplicate changes nothing, a refused line commits nothing, no order is
 * accepted beyond availability) and hold its invariants, and every order's changes on order-status must
 * tell where it stands ({@link OrderStatusOracle}); at the end, with every message delivered, too.
 * A failure prints the run's seed, the shrunk intents and the steps they made ({@link SeededRuns}).
 */
class RulesModelTest {

    static final long START = 1_800_000_000_000L;
    static final long RESERVATION_EXPIRY = Duration.ofHours(1).toMillis();
    static final long INBOUND_EXPIRY = Duration.ofHours(2).toMillis();
    static final int LOW_STOCK_THRESHOLD = 5;
    static final int HYSTERESIS = 2;

    /** External events and state comparisons over every run of this JVM, for the long run's record. */
    static final AtomicLong EVENTS = new AtomicLong();
    static final AtomicLong CHECKS = new AtomicLong();
    /** What the runs covered, label to value to the runs it appeared in: a model test that never refuses an order proves little. */
    private static final Map<String, Map<String, Integer>> COVERAGE = new TreeMap<>();

    @Test
    void theRulesMatchTheOracle() {
        SeededRuns.check("RulesModelTest", 1, RulesModelTest::theRulesMatchTheOracle);
        LoggerFactory.getLogger(RulesModelTest.class).info("{} external events, {} state comparisons with the oracle; runs covering: {}",
                EVENTS.get(), CHECKS.get(), COVERAGE);
    }

    private static void theRulesMatchTheOracle(SeededRuns.Run run, List<Step> steps) {
        InventoryOracle.Settings settings = new InventoryOracle.Settings(List.of("DC-1", "DC-2"), run.splitLines(), run.partialOrders(),
                RESERVATION_EXPIRY, INBOUND_EXPIRY, LOW_STOCK_THRESHOLD, HYSTERESIS);
        InventoryOracle oracle = new InventoryOracle(settings, START);
        RulesHarness service = new RulesHarness(new InventoryRules(new SourcingPolicy(settings.locationPriority(), run.splitLines()),
                new AlertRule(HYSTERESIS), LOW_STOCK_THRESHOLD, Duration.ofMillis(INBOUND_EXPIRY)), run.partialOrders(), RESERVATION_EXPIRY, START);
        Scenario scenario = new Scenario(oracle, true);
        for (Scenario.Intent intent : run.intents()) {
            for (Step step : scenario.next(intent)) {
                steps.add(step);
                oracle.apply(step);
                service.apply(step);
                assertSame(oracle, service, steps);
                if (step instanceof Step.External) {
                    EVENTS.incrementAndGet();
                }
            }
        }
        oracle.drain();
        service.drain();
        steps.add(new Step.Advance(0));
        assertSame(oracle, service, steps);
        assertThat(service.inFlight()).isEmpty();
        collectCoverage(oracle);
    }

    private static void collectCoverage(InventoryOracle oracle) {
        covered("decisions", oracle.decisions().stream().map(d -> d.substring(d.indexOf(' ') + 1)));
        covered("order states", oracle.orders().values().stream().map(InventoryOracle.OrderView::status));
        covered("order tracking", oracle.orders().values().stream().map(OrderStatusOracle::expected));
        covered("alerts", oracle.alerts().stream().map(a -> a.split(" ")[2]));
        covered("dead letters", Stream.of(oracle.deadLetters().isEmpty() ? "none" : "some"));
        covered("partly cancelled lines", Stream.of(Boolean.toString(oracle.orders().values().stream().flatMap(o -> o.lines().values().stream())
                .anyMatch(l -> l.cancelled() > 0 && l.cancelled() < l.quantity()))));
    }

    private static synchronized void covered(String label, Stream<String> values) {
        values.distinct().forEach(v -> COVERAGE.computeIfAbsent(label, k -> new TreeMap<>()).merge(v, 1, Integer::sum));
    }

    static void assertSame(InventoryOracle oracle, RulesHarness service, List<Step> steps) {
        CHECKS.incrementAndGet();
        String after = "after " + steps.size() + " steps:\n  " + String.join("\n  ", steps.stream().map(Object::toString).toList()) + "\n";
        Map<String, Map<String, InventoryOracle.Quantities>> positions = service.positions();
        assertThat(nonEmpty(positions)).as(after + "positions").isEqualTo(nonEmpty(oracle.positions()));
        assertThat(service.orders()).as(after + "orders").isEqualTo(oracle.orders());
        assertThat(service.trackingStatuses()).as(after + "order statuses").isEqualTo(OrderStatusOracle.expected(oracle.orders()));
        oracle.orders().forEach((orderId, order) -> assertThat(OrderStatusOracle.problems(orderId,
                service.statusChanges().getOrDefault(orderId, List.of()), order)).as(after + "what order-status told").isEmpty());
        assertThat(service.decisions()).as(after + "decisions").isEqualTo(oracle.decisions());
        assertThat(service.deadLetters()).as(after + "dead letters").isEqualTo(oracle.deadLetters());
        assertThat(bySku(service.alerts())).as(after + "alerts").isEqualTo(bySku(oracle.alerts()));
        assertThat(service.inFlight()).as(after + "messages on their way").isEqualTo(RulesHarness.inFlight(oracle));
        assertThat(nonEmpty(service.reservations())).as(after + "reservations").isEqualTo(nonEmpty(oracle.reservations()));
        positions.keySet().forEach(sku -> assertThat(service.version(sku)).as(after + sku + " version").isEqualTo(oracle.version(sku)));
        assertInvariants(positions, service.reservations(), after);
    }

    /** What holds whatever happened: committed is what the open reservations hold; available follows its formula. */
    static void assertInvariants(Map<String, Map<String, InventoryOracle.Quantities>> positions,
                                 Map<String, Map<String, Map<String, Integer>>> reservations, String after) {
        positions.forEach((sku, perLocation) -> perLocation.forEach((location, q) -> {
            int reserved = reservations.getOrDefault(sku, Map.of()).values().stream().mapToInt(r -> r.getOrDefault(location, 0)).sum();
            assertThat(q.committed()).as(after + sku + "@" + location + " committed = open reservations").isEqualTo(reserved);
            assertThat(q.available()).as(after + sku + "@" + location + " available")
                    .isEqualTo(Math.max(0, q.onHand() - q.committed() - q.unavailable() - q.safetyStock()));
            assertThat(q.onHand()).as(after + sku + "@" + location + " on hand").isGreaterThanOrEqualTo(q.unavailable()).isNotNegative();
            assertThat(q.incoming()).as(after + sku + "@" + location + " incoming").isNotNegative();
        }));
    }

    /** Alerts per SKU, in the order raised: one SKU's are ordered, two SKUs' need not be. */
    static Map<String, List<String>> bySku(List<String> alerts) {
        Map<String, List<String>> out = new TreeMap<>();
        alerts.forEach(a -> out.computeIfAbsent(a.substring(0, a.indexOf(' ')), k -> new ArrayList<>()).add(a));
        return out;
    }

    static <V> Map<String, Map<String, V>> nonEmpty(Map<String, Map<String, V>> perSku) {
        Map<String, Map<String, V>> out = new TreeMap<>(perSku);
        out.values().removeIf(Map::isEmpty);
        return out;
    }
}
