package dev.omnistock.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnistock.events.OrderCancelled;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.events.OrderPlaced;
import dev.omnistock.events.OrderShipped;
import dev.omnistock.events.ReturnReceived;
import dev.omnistock.events.StockCounted;
import dev.omnistock.events.StockEvent;
import dev.omnistock.events.StockReceived;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

class WorkloadTest {

    private static final Instant START = Instant.parse("2026-12-01T08:00:00Z");

    private static Workload.Settings settings(Workload.Mode mode, long seed) {
        return new Workload.Settings(50, 3, seed, mode, START, 4);
    }

    private static List<Workload.Keyed> run(Workload workload, int events) {
        List<Workload.Keyed> out = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            out.add(workload.next());
        }
        return out;
    }

    @Test
    void theSameSettingsGiveTheSameEvents() {
        assertThat(run(new Workload(settings(Workload.Mode.SCARCE, 7)), 2_000)).isEqualTo(run(new Workload(settings(Workload.Mode.SCARCE, 7)), 2_000));
        assertThat(run(new Workload(settings(Workload.Mode.SCARCE, 7)), 2_000)).isNotEqualTo(run(new Workload(settings(Workload.Mode.SCARCE, 8)), 2_000));
    }

    @Test
    void eventTimesStartNowUnlessAStartIsGiven() {
        Instant before = Instant.now().minusSeconds(1);
        StockEvent first = (StockEvent) new Workload(50, 3, 1).next().event();
        assertThat(first.getEventTime()).isAfter(before).isBefore(Instant.now().plus(Duration.ofSeconds(1)));
        assertThat(((StockEvent) new Workload(settings(Workload.Mode.DEEP, 1)).next().event()).getEventTime()).isEqualTo(START);
    }

    @Test
    void itStartsWithACountForEverySkuAtEveryLocation() {
        assertThat(run(new Workload(settings(Workload.Mode.DEEP, 1)), 150)).allSatisfy(k -> assertThat(k.event()).isInstanceOf(StockEvent.class));
    }

    @Test
    void popularSkusAreOrderedMoreThanRareOnes() {
        Map<String, Integer> units = new HashMap<>();
        run(new Workload(settings(Workload.Mode.DEEP, 3)), 20_000).stream()
                .filter(k -> k.event() instanceof OrderEvent o && o.getPayload() instanceof OrderPlaced)
                .flatMap(k -> ((OrderPlaced) ((OrderEvent) k.event()).getPayload()).getLines().stream())
                .forEach(l -> units.merge(l.getSku(), l.getQuantity(), Integer::sum));
        assertThat(units.getOrDefault("SKU-00000", 0)).isGreaterThan(5 * units.getOrDefault("SKU-00049", 1));
    }

    /**
     * The truth comes from the generator's model; this checks it against the events alone: on_hand is what
     * was counted, received and returned less what shipped, which holds only if every shipment the generator
     * made was one the rules accept (a refused one would leave on_hand where it was), and unavailable is
     * what came back damaged.
     */
    @Test
    void onHandIsWhatCameInLessWhatShippedForEveryShipmentTheGeneratorMakesIsAccepted() {
        for (Workload.Mode mode : Workload.Mode.values()) {
            Workload workload = new Workload(settings(mode, 5));
            Map<String, Long> onHand = new HashMap<>();
            Map<String, Long> unavailable = new HashMap<>();
            Set<String> seen = new HashSet<>();
            for (Workload.Keyed k : run(workload, 20_000)) {
                if (!seen.add(k.eventId())) {
                    continue; // a retry
                }
                if (k.event() instanceof StockEvent s) {
                    long units = s.getPayload() instanceof StockCounted c ? c.getOnHand() : ((StockReceived) s.getPayload()).getQuantity();
                    onHand.merge(s.getSku(), units, Long::sum); // each location is counted once, before anything else
                } else if (((OrderEvent) k.event()).getPayload() instanceof OrderShipped shipped) {
                    shipped.getLines().forEach(l -> onHand.merge(l.getSku(), -(long) l.getQuantity(), Long::sum));
                } else if (((OrderEvent) k.event()).getPayload() instanceof ReturnReceived returned) {
                    returned.getLines().forEach(l -> {
                        onHand.merge(l.getSku(), (long) l.getQuantity(), Long::sum);
                        if (!l.getResellable()) {
                            unavailable.merge(l.getSku(), (long) l.getQuantity(), Long::sum);
                        }
                    });
                }
            }
            GroundTruth truth = workload.truth();
            truth.positions.forEach((sku, position) -> {
                assertThat(position.onHand).as("%s %s on hand", mode, sku).isEqualTo(onHand.get(sku));
                assertThat(position.unavailable).as("%s %s unavailable", mode, sku).isEqualTo(unavailable.getOrDefault(sku, 0L));
            });
        }
    }

    @Test
    void scarceStockRefusesOrdersAndKeysEachScarceSkusOrdersToItsOwnPartition() {
        Workload workload = new Workload(settings(Workload.Mode.SCARCE, 11));
        List<Workload.Keyed> events = run(workload, 20_000);
        assertThat(workload.truth().decisions.values()).contains("ACCEPTED", "REJECTED");
        events.stream().filter(k -> k.event() instanceof OrderEvent o && o.getPayload() instanceof OrderPlaced)
                .map(k -> (OrderEvent) k.event())
                .filter(o -> Integer.parseInt(((OrderPlaced) o.getPayload()).getLines().get(0).getSku().substring(4)) % 4 == 0)
                .forEach(o -> {
                    OrderPlaced placed = (OrderPlaced) o.getPayload();
                    assertThat(placed.getLines()).hasSize(1);
                    assertThat(partition(o.getOrderId())).isEqualTo(partition(placed.getLines().get(0).getSku()));
                });
        Set<String> scarceOrders = new HashSet<>();
        events.stream().filter(k -> k.event() instanceof OrderEvent o && o.getPayload() instanceof OrderPlaced p
                && Integer.parseInt(p.getLines().get(0).getSku().substring(4)) % 4 == 0).forEach(k -> scarceOrders.add(k.key()));
        assertThat(events).as("orders of scarce SKUs are never cancelled: a cancel's release would race later orders")
                .noneMatch(k -> k.event() instanceof OrderEvent o && o.getPayload() instanceof OrderCancelled && scarceOrders.contains(k.key()));
        assertThat(workload.truth().positions.values()).allSatisfy(p -> assertThat(p.onHand).isGreaterThanOrEqualTo(p.unavailable));
    }

    private static int partition(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % 4;
    }
}
