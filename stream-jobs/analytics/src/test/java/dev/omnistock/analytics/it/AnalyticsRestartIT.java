package dev.omnistock.analytics.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnistock.analytics.AnalyticsService;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kill the job after a checkpoint while rows written after it are already in ClickHouse, restart it
 * from that checkpoint: it replays those events and writes those rows again, and the totals stay exact.
 * Once with each state backend (each in a class of its own, so each has its own topics and database):
 * the heap's full snapshots and RocksDB's incremental ones.
 */
@ExtendWith(RealStackExtension.class)
class AnalyticsRestartIT {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    @Nested
    class StateOnTheHeap {
        @Test
        void aJobKilledWithRowsWrittenAfterItsCheckpointResumesWithoutDoubleCounting(RealStack real, TestNamespace ns) throws Exception {
            killAfterACheckpointAndResume("hashmap", real, ns);
        }
    }

    @Nested
    class StateInRocksDb {
        @Test
        void aJobKilledWithRowsWrittenAfterItsCheckpointResumesWithoutDoubleCounting(RealStack real, TestNamespace ns) throws Exception {
            killAfterACheckpointAndResume("rocksdb", real, ns);
        }
    }

    private static long sharedCheckpointFiles(String checkpoint) throws IOException {
        Path shared = Path.of(URI.create(checkpoint)).getParent().resolve("shared");
        if (!Files.isDirectory(shared)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(shared)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    private static void killAfterACheckpointAndResume(String stateBackend, RealStack real, TestNamespace ns) throws Exception {
        List<OrderEvent> sent = new ArrayList<>();
        String checkpoint;
        try (AnalyticsStack stack = new AnalyticsStack(real, ns, Map.of("ANALYTICS_STATE_BACKEND", stateBackend));
             AnalyticsService.Embedded first = stack.start()) {
            List<OrderEvent> a = OrderBatch.of("a", T0);
            OrderBatch.send(stack, a);
            sent.addAll(a);
            OrderBatch.awaitTotals(stack, OrderBatch.expectedAllButLastClocks(sent));
            checkpoint = first.cluster().checkpoint(first.job());
            // The backend is the one named: RocksDB's incremental checkpoints keep their files in shared/.
            assertThat(sharedCheckpointFiles(checkpoint)).as("files in the job's shared/").matches(
                    files -> stateBackend.equals("rocksdb") ? files > 0 : files == 0);

            // After the checkpoint: these rows reach ClickHouse, but the checkpoint knows nothing of them.
            List<OrderEvent> b = OrderBatch.of("b", T0.plusSeconds(600));
            OrderBatch.send(stack, b);
            sent.addAll(b);
            OrderBatch.awaitTotals(stack, OrderBatch.expectedAllButLastClocks(sent));
        } // the job dies here, with no checkpoint after batch b

        // ClickHouse's clock stamps inserted_at; a whole second back covers its DateTime64 rounding.
        Instant restarted = Instant.now().minusSeconds(1);
        try (AnalyticsStack stack = new AnalyticsStack(real, ns, Map.of("ANALYTICS_STATE_BACKEND", stateBackend, "ANALYTICS_RESTORE_FROM", checkpoint));
             AnalyticsService.Embedded second = stack.start()) {
            // Batch b is replayed from Kafka and its rows are written again; c proves the job caught up.
            List<OrderEvent> c = OrderBatch.of("c", T0.plusSeconds(1_200));
            OrderBatch.send(stack, c);
            sent.addAll(c);
            OrderBatch.awaitTotals(stack, OrderBatch.expectedAllButLastClocks(sent));

            assertThat(stack.query("SELECT count() FROM demand_per_minute FINAL WHERE sku = 'SKU-CLOCK'"))
                    .containsExactly(List.of("2"));
            // Batch b's minutes were written again by the second run (the replay really happened), and the
            // exact totals above show FINAL kept one row of each.
            assertThat(stack.query("""
                    SELECT count() FROM demand_per_minute
                    WHERE sku != 'SKU-CLOCK' AND minute >= toDateTime(?, 'UTC') AND minute < toDateTime(?, 'UTC')
                      AND inserted_at >= fromUnixTimestamp64Milli(?, 'UTC')""",
                    T0.plusSeconds(600).getEpochSecond(), T0.plusSeconds(900).getEpochSecond(), restarted.toEpochMilli()).get(0).get(0))
                    .as("rows of batch b written by the resumed job").isNotEqualTo("0");
        }
    }
}
