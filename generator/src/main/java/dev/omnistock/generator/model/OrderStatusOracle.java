package dev.omnistock.generator.model;

import dev.omnistock.events.OrderStatusChanged;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a customer should be told of an order, from the facts the oracle holds: the status from the
 * README's table (read from README.md), and what holds over the whole stream of status changes an order
 * got. It answers with the problems it finds, so the model tests assert them away and the real-stack tests
 * (the hard-kill test, the fault suite) count and report them.
 */
public final class OrderStatusOracle {

    private static final String HEADER = "| waiting | open | shipped | returned | expired | cancelled | refused | status |";

    /**
     * README, "Order status": summed units per order; the first row that holds decides. Read from the README
     * itself, so the table customers and operators read is the one the tests hold the service to.
     */
    private static final List<String> TABLE = readmeTable();
    private static final List<String> COLUMNS = cells(TABLE.get(0));
    private static final List<List<String>> ROWS = TABLE.stream().skip(1).map(OrderStatusOracle::cells).toList();

    /** Once an order is in one of these, only a shipped order's returns change it. */
    private static final Set<String> FINAL = Set.of("REJECTED", "CANCELLED", "EXPIRED", "SHIPPED", "RETURNED");

    private OrderStatusOracle() {
    }

    /**
     * The checkout's README.md: {@code -Domnistock.readme}, else under {@code -Domnistock.repo.root} (the build passes it),
     * else in the first directory up from the working directory that holds {@code mvnw}. It must have the table.
     */
    private static List<String> readmeTable() {
        Path readme = readmePath();
        List<String> lines;
        try {
            lines = Files.readAllLines(readme);
        } catch (IOException e) {
            throw new UncheckedIOException("The status table is read from " + readme.toAbsolutePath()
                    + "; run from inside the checkout or set -Domnistock.readme", e);
        }
        int header = lines.indexOf(HEADER);
        if (header < 0) {
            throw new IllegalStateException(readme.toAbsolutePath() + " has no order status table (header " + HEADER + ")");
        }
        List<String> table = new ArrayList<>();
        table.add(lines.get(header));
        for (String line : lines.subList(header + 2, lines.size())) { // past the |---| row
            if (!line.startsWith("|")) {
                break;
            }
            table.add(line);
        }
        return List.copyOf(table);
    }

    private static Path readmePath() {
        String given = System.getProperty("omnistock.readme", "");
        if (!given.isBlank()) {
            return Path.of(given);
        }
        String root = System.getProperty("omnistock.repo.root", "");
        if (!root.isBlank()) {
            return Path.of(root, "README.md");
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw"))) {
                return dir.resolve("README.md");
            }
        }
        throw new IllegalStateException("No checkout (a directory with mvnw) above " + Path.of("").toAbsolutePath()
                + ": set -Domnistock.readme to the README.md with the order status table");
    }

    private static List<String> cells(String row) {
        String inner = row.strip();
        return List.of(inner.substring(1, inner.length() - 1).split("\\|")).stream().map(String::strip).toList();
    }

    /** The status the README's table gives for an order's lines. */
    public static String expected(InventoryOracle.OrderView order) {
        Map<String, Integer> units = new HashMap<>();
        for (InventoryOracle.LineView line : order.lines().values()) {
            int left = line.quantity() - line.shipped() - line.cancelled() - line.expired();
            units.merge("waiting", line.answered() ? 0 : left, Integer::sum);
            units.merge("open", line.reserved() ? left : 0, Integer::sum);
            units.merge("refused", line.answered() && !line.reserved() ? left : 0, Integer::sum);
            units.merge("shipped", line.shipped(), Integer::sum);
            units.merge("returned", line.returned(), Integer::sum);
            units.merge("expired", line.expired(), Integer::sum);
            units.merge("cancelled", line.cancelled(), Integer::sum);
        }
        for (List<String> row : ROWS) {
            boolean holds = true;
            for (int column = 0; column < COLUMNS.size() - 1 && holds; column++) {
                holds = holds(row.get(column), units.get(COLUMNS.get(column)), units);
            }
            if (holds) {
                return row.get(COLUMNS.size() - 1);
            }
        }
        throw new IllegalStateException("no row of the status table holds for " + units + " (" + order + ")");
    }

    private static boolean holds(String condition, int value, Map<String, Integer> units) {
        return switch (condition) {
            case "—" -> true;
            case "0" -> value == 0;
            case "> 0" -> value > 0;
            default -> value == units.get(condition.substring(2)); // "= shipped"
        };
    }

    /** Each order's status, as the table gives it. */
    public static Map<String, String> expected(Map<String, InventoryOracle.OrderView> orders) {
        Map<String, String> out = new TreeMap<>();
        orders.forEach((id, order) -> out.put(id, expected(order)));
        return out;
    }

    /** A line's units as a change tells them. */
    public record LineUnits(int shipped, int cancelled, int returned, int expired) {
        static LineUnits of(InventoryOracle.LineView line) {
            return new LineUnits(line.shipped(), line.cancelled(), line.returned(), line.expired());
        }
    }

    /** One change on order-status; previous is null for the first. */
    public record Change(String changeId, long sequence, String previous, String status, Map<String, LineUnits> lines) {

        /** A change as read from order-status. */
        public static Change of(OrderStatusChanged c) {
            Map<String, LineUnits> lines = new LinkedHashMap<>();
            c.getChangedLines().forEach(l -> lines.put(l.getLineId(), new LineUnits(l.getShipped(), l.getCancelled(), l.getReturned(), l.getExpired())));
            return new Change(c.getChangeId(), c.getSequence(), c.getPreviousStatus() == null ? null : c.getPreviousStatus().name(),
                    c.getStatus().name(), lines);
        }
    }

    /**
     * What is wrong with the changes one placement of an order got, in order, whatever the facts: they are
     * numbered 1, 2, … without gaps, each starts where the one before ended, none leaves a final status for
     * another (but a shipped order's returns), each is news (a new status, or units of a line it shows), and
     * no change id repeats. Empty when nothing is.
     */
    public static List<String> streamProblems(String orderId, List<Change> changes) {
        List<String> problems = new ArrayList<>();
        String what = orderId + " status changes " + changes + ": ";
        if (changes.isEmpty()) {
            problems.add(what + "never told");
            return problems;
        }
        Map<String, LineUnits> told = new HashMap<>();
        Set<String> ids = new HashSet<>();
        String status = null;
        String firstFinal = null;
        long sequence = 0;
        for (Change change : changes) {
            sequence++;
            if (change.sequence() != sequence) {
                problems.add(what + "change " + change.changeId() + " has sequence " + change.sequence() + ", expected " + sequence);
            }
            if (!ids.add(change.changeId())) {
                problems.add(what + "change id " + change.changeId() + " told twice");
            }
            if (!Objects.equals(change.previous(), status)) {
                problems.add(what + "change " + change.sequence() + " starts at " + change.previous() + ", the one before ended at " + status);
            }
            // Once final, only a shipped order's returns change the status.
            if (firstFinal != null && !change.status().equals(status)
                    && !((firstFinal.equals("SHIPPED") || firstFinal.equals("RETURNED")) && change.status().endsWith("RETURNED"))) {
                problems.add(what + "change " + change.sequence() + " leaves the final " + firstFinal + " for " + change.status());
            }
            if (firstFinal == null && FINAL.contains(change.status())) {
                firstFinal = change.status();
            }
            boolean news = !change.status().equals(status) || change.lines().entrySet().stream()
                    .anyMatch(line -> !line.getValue().equals(told.get(line.getKey())));
            if (!news) {
                problems.add(what + "change " + change.sequence() + " tells nothing new");
            }
            told.putAll(change.lines());
            status = change.status();
        }
        return problems;
    }

    /**
     * What is wrong with the changes an order got against the facts: {@link #streamProblems} and, together,
     * the changes must tell where the order stands: the last status is the table's, and every line's units
     * are as last shown. Empty when nothing is.
     */
    public static List<String> problems(String orderId, List<Change> changes, InventoryOracle.OrderView order) {
        List<String> problems = streamProblems(orderId, changes);
        if (changes.isEmpty()) {
            return problems;
        }
        String what = orderId + " status changes " + changes + ": ";
        String last = changes.get(changes.size() - 1).status();
        String expected = expected(order);
        if (!last.equals(expected)) {
            problems.add(what + "the last status told is " + last + ", the table gives " + expected + " for " + order);
        }
        Map<String, LineUnits> told = new HashMap<>();
        changes.forEach(change -> told.putAll(change.lines()));
        Map<String, LineUnits> actual = new HashMap<>();
        order.lines().forEach((lineId, line) -> actual.put(lineId, LineUnits.of(line)));
        if (!told.equals(actual)) {
            problems.add(what + "lines' units as last told " + told + ", the facts " + actual);
        }
        return problems;
    }
}
