package dev.omnistock.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The table in docs/benchmarks.md: one row per benchmark, the newest run replacing the old row.
 * Columns: benchmark | events/s | raw Kafka events/s | ratio | p50 ms | p99 ms | command | date.
 */
public final class BenchmarkTable {

    private BenchmarkTable() {
    }

    /** One measurement; empty values print as "-". */
    public record Row(String benchmark, OptionalDouble eventsPerSecond, OptionalDouble rawKafkaEventsPerSecond,
                      OptionalDouble p50Millis, OptionalDouble p99Millis, String command) {

        String markdown() {
            String ratio = eventsPerSecond.isPresent() && rawKafkaEventsPerSecond.isPresent()
                    ? String.format(Locale.ROOT, "%.3f", eventsPerSecond.getAsDouble() / rawKafkaEventsPerSecond.getAsDouble()) : "-";
            return "| " + benchmark + " | " + whole(eventsPerSecond) + " | " + whole(rawKafkaEventsPerSecond) + " | " + ratio
                    + " | " + millis(p50Millis) + " | " + millis(p99Millis) + " | `" + command + "` | " + LocalDate.now() + " |";
        }

        private static String whole(OptionalDouble value) {
            return value.isPresent() ? String.format(Locale.ROOT, "%,.0f", value.getAsDouble()) : "-";
        }

        private static String millis(OptionalDouble value) {
            return value.isPresent() ? String.format(Locale.ROOT, "%.1f", value.getAsDouble()) : "-";
        }
    }

    /** Prints the rows and writes them into the table, replacing rows of the same benchmark. */
    public static void record(Path markdownFile, List<Row> rows) {
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(markdownFile));
            for (Row row : rows) {
                String line = row.markdown();
                System.out.println(line);
                String prefix = "| " + row.benchmark() + " |";
                int existing = indexOf(lines, prefix);
                if (existing >= 0) {
                    lines.set(existing, line);
                } else {
                    lines.add(endOfTable(lines), line);
                }
            }
            Files.write(markdownFile, lines);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not update " + markdownFile, e);
        }
    }

    /** Just after the table's last row (the table starts at its header line). */
    private static int endOfTable(List<String> lines) {
        int header = indexOf(lines, "| benchmark |");
        if (header < 0) {
            throw new IllegalStateException("docs/benchmarks.md has no table starting with '| benchmark |'");
        }
        int end = header + 1;
        while (end < lines.size() && lines.get(end).startsWith("|")) {
            end++;
        }
        return end;
    }

    private static int indexOf(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }
}
