package dev.omnistock.inventory.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnistock.generator.model.InventoryOracle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.LongStream;

/**
 * What a customer should be told of an order, from the facts the oracle holds: the status from the
 * README's table (read from README.md), and what holds over the whole stream of status
 * changes an order got.
 */
public final class OrderStatusOracle {

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

    private static List<String> readmeTable() {
        Path readme = Path.of(System.getProperty("omnistock.readme", "../../README.md"));
        List<String> lines;
        try {
            lines = Files.readAllLines(readme);
        } catch (IOException e) {
            throw new UncheckedIOException("The status table is read from " + readme.toAbsolutePath()
                    + "; run the tests from the module directory or set -Domnistock.readme", e);
        }
        int header = lines.indexOf("| waiting | open | shipped | returned | expired | cancelled | refused | status |");
        if (header < 0) {
            throw new IllegalStateException("README.md has no order status table (its header row changed?)");
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
        throw new AssertionError("no row of the status table holds for " + units + " (" + order + ")");
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
    public record Change(long sequence, String previous, String status, Map<String, LineUnits> lines) {
    }

    /**
     * The changes an order got, in order: numbered 1, 2, … without gaps, each starting where the one
     * before ended, never from a final status to another (but a shipped order's returns), each one news
     * (a new status, or units of a line it shows), and together telling where the order stands: the
     * last status is the table's, and every line's units are as last shown.
     */
    public static void assertTold(String orderId, List<Change> changes, InventoryOracle.OrderView order, String after) {
        String what = after + orderId + " status changes " + changes + ": ";
        assertThat(changes).as(what + "told at all").isNotEmpty();
        assertThat(changes.stream().map(Change::sequence).toList()).as(what + "sequence numbers")
                .isEqualTo(LongStream.rangeClosed(1, changes.size()).boxed().toList());
        Map<String, LineUnits> told = new HashMap<>();
        String status = null;
        for (Change change : changes) {
            assertThat(change.previous()).as(what + "change " + change.sequence() + " starts where the one before ended").isEqualTo(status);
            if (status != null && FINAL.contains(status) && !change.status().equals(status)) {
                assertThat(status.equals("SHIPPED") && change.status().endsWith("RETURNED"))
                        .as(what + "change " + change.sequence() + " leaves the final " + status).isTrue();
            }
            boolean news = !change.status().equals(status) || change.lines().entrySet().stream()
                    .anyMatch(line -> !line.getValue().equals(told.get(line.getKey())));
            assertThat(news).as(what + "change " + change.sequence() + " tells something new").isTrue();
            told.putAll(change.lines());
            status = change.status();
        }
        assertThat(status).as(what + "the last status told").isEqualTo(expected(order));
        Map<String, LineUnits> actual = new HashMap<>();
        order.lines().forEach((lineId, line) -> actual.put(lineId, LineUnits.of(line)));
        assertThat(told).as(what + "every line's units as last told").isEqualTo(actual);
    }
}
