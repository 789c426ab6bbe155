package dev.omnistock.inventory.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnistock.inventory.alerts.AlertRule;
import dev.omnistock.inventory.ledger.InventoryRules;
import dev.omnistock.generator.model.InventoryOracle;
import dev.omnistock.inventory.model.Scenario;
import dev.omnistock.generator.model.Step;
import dev.omnistock.inventory.sourcing.SourcingPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;
import org.slf4j.LoggerFactory;

/**
 * The rules against {@link InventoryOracle}, over random sequences of events, deliveries between the two
 * sides in any order the topics allow, and the passing of time. After every step the service's state
 * must equal the oracle's (so a duplicate changes nothing, a refused line commits nothing, no order is
 * accepted beyond availability) and hold its invariants; at the end, with every message delivered, too.
 * A failure prints jqwik's seed and the shrunk intents; the steps they made are in the message.
 */
class RulesModelTest {

    static final long START = 1_800_000_000_000L;
    static final long RESERVATION_EXPIRY = Duration.ofHours(1).toMillis();
    static final long INBOUND_EXPIRY = Duration.ofHours(2).toMillis();
    static final int LOW_STOCK_THRESHOLD = 5;
    static final int HYSTERESIS = 2;

    @Provide
    Arbitrary<List<Scenario.Intent>> intents() {
        return Scenario.intents().list().ofMinSize(10).ofMaxSize(120);
    }

    /** External events and state comparisons over every try of this JVM, for the long run's record. */
    static final AtomicLong EVENTS = new AtomicLong();
    static final AtomicLong CHECKS = new AtomicLong();

    @AfterContainer
    static void report() {
        LoggerFactory.getLogger(RulesModelTest.class).info("{} external events, {} state comparisons with the oracle", EVENTS.get(), CHECKS.get());
    }

    @Property
    void theRulesMatchTheOracle(@ForAll("intents") List<Scenario.Intent> intents, @ForAll boolean splitLines, @ForAll boolean partialOrders) {
        InventoryOracle.Settings settings = new InventoryOracle.Settings(List.of("DC-1", "DC-2"), splitLines, partialOrders,
                RESERVATION_EXPIRY, INBOUND_EXPIRY, LOW_STOCK_THRESHOLD, HYSTERESIS);
        InventoryOracle oracle = new InventoryOracle(settings, START);
        RulesHarness service = new RulesHarness(new InventoryRules(new SourcingPolicy(settings.locationPriority(), splitLines),
                new AlertRule(HYSTERESIS), LOW_STOCK_THRESHOLD, Duration.ofMillis(INBOUND_EXPIRY)), partialOrders, RESERVATION_EXPIRY, START);
        Scenario scenario = new Scenario(oracle, true);
        List<Step> steps = new ArrayList<>();
        for (Scenario.Intent intent : intents) {
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
        collectStatistics(oracle);
    }

    /** What the runs covered, printed by jqwik: a model test that never refuses an order proves little. */
    static void collectStatistics(InventoryOracle oracle) {
        Statistics.label("decisions").collect(oracle.decisions().stream().map(d -> d.substring(d.indexOf(' ') + 1)).distinct().sorted().toList());
        Statistics.label("order states").collect(oracle.orders().values().stream().map(InventoryOracle.OrderView::status).distinct().sorted().toList());
        Statistics.label("order tracking").collect(oracle.orders().values().stream().map(InventoryOracle.OrderView::tracking).distinct().sorted().toList());
        Statistics.label("alerts").collect(oracle.alerts().stream().map(a -> a.split(" ")[2]).distinct().sorted().toList());
        Statistics.label("dead letters").collect(oracle.deadLetters().isEmpty() ? "none" : "some");
        Statistics.label("partly cancelled lines").collect(oracle.orders().values().stream().flatMap(o -> o.lines().values().stream())
                .anyMatch(l -> l.cancelled() > 0 && l.cancelled() < l.quantity()));
    }

    static void assertSame(InventoryOracle oracle, RulesHarness service, List<Step> steps) {
        CHECKS.incrementAndGet();
        String after = "after " + steps.size() + " steps:\n  " + String.join("\n  ", steps.stream().map(Object::toString).toList()) + "\n";
        Map<String, Map<String, InventoryOracle.Quantities>> positions = service.positions();
        assertThat(nonEmpty(positions)).as(after + "positions").isEqualTo(nonEmpty(oracle.positions()));
        assertThat(service.orders()).as(after + "orders").isEqualTo(oracle.orders());
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
        Map<String, List<String>> out = new java.util.TreeMap<>();
        alerts.forEach(a -> out.computeIfAbsent(a.substring(0, a.indexOf(' ')), k -> new ArrayList<>()).add(a));
        return out;
    }

    static <V> Map<String, Map<String, V>> nonEmpty(Map<String, Map<String, V>> perSku) {
        Map<String, Map<String, V>> out = new java.util.TreeMap<>(perSku);
        out.values().removeIf(Map::isEmpty);
        return out;
    }
}
