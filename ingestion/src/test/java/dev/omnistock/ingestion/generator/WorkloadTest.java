package dev.omnistock.ingestion.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnistock.events.OrderEvent;
import dev.omnistock.events.OrderPlaced;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkloadTest {

    private static List<Workload.Keyed> run(long seed, int events) {
        Workload workload = new Workload(50, 3, seed);
        List<Workload.Keyed> out = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            out.add(workload.next());
        }
        return out;
    }

    @Test
    void theSameSeedGivesTheSameEvents() {
        assertThat(run(7, 2_000)).isEqualTo(run(7, 2_000));
        assertThat(run(7, 2_000)).isNotEqualTo(run(8, 2_000));
    }

    @Test
    void itStartsWithACountForEverySkuAtEveryLocation() {
        assertThat(run(1, 150)).allSatisfy(k -> assertThat(k.isOrder()).isFalse());
    }

    @Test
    void popularSkusAreOrderedMoreThanRareOnes() {
        Map<String, Integer> units = new HashMap<>();
        run(3, 20_000).stream().filter(k -> k.event() instanceof OrderEvent o && o.getPayload() instanceof OrderPlaced)
                .flatMap(k -> ((OrderPlaced) ((OrderEvent) k.event()).getPayload()).getLines().stream())
                .forEach(l -> units.merge(l.getSku(), l.getQuantity(), Integer::sum));
        assertThat(units.getOrDefault("SKU-00000", 0)).isGreaterThan(5 * units.getOrDefault("SKU-00049", 1));
    }

    @Test
    void theTruthBalances() {
        Workload workload = new Workload(20, 2, 5);
        for (int i = 0; i < 10_000; i++) {
            workload.next();
        }
        workload.truth().demand.forEach((sku, byChannel) -> {
            long ordered = byChannel.values().stream().mapToLong(d -> d.unitsOrdered).sum();
            long closed = byChannel.values().stream().mapToLong(d -> d.unitsCancelled + d.unitsShipped).sum();
            assertThat(workload.truth().positions.get(sku).committed).isEqualTo(ordered - closed);
        });
    }
}
