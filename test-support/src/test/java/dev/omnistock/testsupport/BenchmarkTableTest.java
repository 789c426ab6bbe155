package dev.omnistock.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkTableTest {

    @TempDir
    Path dir;

    @Test
    void aNewRowJoinsTheTableAndARepeatedOneReplacesItsOldRow() throws Exception {
        Path file = Files.writeString(dir.resolve("benchmarks.md"), """
                # Benchmarks

                | benchmark | events/s | raw Kafka events/s | ratio | p50 ms | p99 ms | command | date |
                | --- | --- | --- | --- | --- | --- | --- | --- |
                | raw consume | 1 | 1 | 1.000 | - | - | `x` | 2026-01-01 |

                ## Notes
                text
                """);
        BenchmarkTable.record(file, List.of(
                new BenchmarkTable.Row("raw consume", OptionalDouble.of(1_000), OptionalDouble.of(1_000), OptionalDouble.empty(), OptionalDouble.empty(), "cmd"),
                new BenchmarkTable.Row("new one", OptionalDouble.of(500), OptionalDouble.of(1_000), OptionalDouble.of(1.25), OptionalDouble.of(9), "cmd")));

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).filteredOn(l -> l.startsWith("| raw consume |")).singleElement()
                .satisfies(l -> assertThat(l).startsWith("| raw consume | 1,000 | 1,000 | 1.000 | - | - | `cmd` |"));
        int newRow = lines.indexOf(lines.stream().filter(l -> l.startsWith("| new one |")).findFirst().orElseThrow());
        assertThat(lines.get(newRow)).startsWith("| new one | 500 | 1,000 | 0.500 | 1.3 | 9.0 | `cmd` |");
        assertThat(newRow).isLessThan(lines.indexOf("## Notes"));
    }
}
