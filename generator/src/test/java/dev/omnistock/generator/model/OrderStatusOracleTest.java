package dev.omnistock.generator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnistock.generator.GroundTruth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The oracle itself: each broken stream of changes is found, and a right one passes. */
class OrderStatusOracleTest {

    private static final OrderStatusOracle.LineUnits NONE = new OrderStatusOracle.LineUnits(0, 0, 0, 0);
    private static final OrderStatusOracle.LineUnits SHIPPED_2 = new OrderStatusOracle.LineUnits(2, 0, 0, 0);

    /** One line of 2 units, answered and reserved, both shipped. */
    private static final InventoryOracle.OrderView SHIPPED_ORDER = new InventoryOracle.OrderView("ACCEPTED",
            Map.of("1", new InventoryOracle.LineView("SKU-1", 2, true, true, 2, 0, 0, 0)));

    private static OrderStatusOracle.Change change(String id, long sequence, String previous, String status, OrderStatusOracle.LineUnits line) {
        return new OrderStatusOracle.Change("O-1/" + id + "/" + sequence, sequence, previous, status, Map.of("1", line));
    }

    private static final List<OrderStatusOracle.Change> TOLD_RIGHT = List.of(
            change("p", 1, null, "PLACED", NONE),
            change("p", 2, "PLACED", "ACCEPTED", NONE),
            change("p", 3, "ACCEPTED", "SHIPPED", SHIPPED_2));

    @Test
    void theReadmeTableGivesTheStatusOfTheFacts() {
        assertThat(OrderStatusOracle.expected(SHIPPED_ORDER)).isEqualTo("SHIPPED");
        assertThat(OrderStatusOracle.expected(new InventoryOracle.OrderView("PENDING",
                Map.of("1", new InventoryOracle.LineView("SKU-1", 2, false, false, 0, 2, 0, 0))))).as("cancelled before its answer")
                .isEqualTo("CANCELLED");
        assertThat(OrderStatusOracle.expected(new InventoryOracle.OrderView("REJECTED",
                Map.of("1", new InventoryOracle.LineView("SKU-1", 2, true, false, 0, 0, 0, 0))))).isEqualTo("REJECTED");
    }

    @Test
    void aRightStreamHasNoProblems() {
        assertThat(OrderStatusOracle.problems("O-1", TOLD_RIGHT, SHIPPED_ORDER)).isEmpty();
    }

    @Test
    void eachBrokenStreamIsFound() {
        assertThat(OrderStatusOracle.streamProblems("O-1", List.of(TOLD_RIGHT.get(0), TOLD_RIGHT.get(2))))
                .as("a gap").anyMatch(p -> p.contains("has sequence 3, expected 2"));
        assertThat(OrderStatusOracle.streamProblems("O-1", List.of(TOLD_RIGHT.get(0), TOLD_RIGHT.get(0))))
                .as("the same id twice").anyMatch(p -> p.contains("told twice"));
        assertThat(OrderStatusOracle.streamProblems("O-1", List.of(TOLD_RIGHT.get(0), change("p", 2, "ACCEPTED", "ACCEPTED", NONE))))
                .as("a change not starting where the last ended").anyMatch(p -> p.contains("starts at ACCEPTED"));
        assertThat(OrderStatusOracle.streamProblems("O-1", List.of(TOLD_RIGHT.get(0), change("p", 2, "PLACED", "CANCELLED", NONE),
                change("p", 3, "CANCELLED", "REJECTED", NONE))))
                .as("a final status left for another").anyMatch(p -> p.contains("leaves the final CANCELLED for REJECTED"));
        assertThat(OrderStatusOracle.streamProblems("O-1", List.of(TOLD_RIGHT.get(0), change("p", 2, "PLACED", "PLACED", NONE))))
                .as("a change telling nothing").anyMatch(p -> p.contains("tells nothing new"));
        assertThat(OrderStatusOracle.streamProblems("O-1", List.of(TOLD_RIGHT.get(0), TOLD_RIGHT.get(1), TOLD_RIGHT.get(2),
                change("p", 4, "SHIPPED", "RETURNED", new OrderStatusOracle.LineUnits(2, 0, 2, 0)))))
                .as("a shipped order's return is no flip").isEmpty();
        assertThat(OrderStatusOracle.streamProblems("O-1", List.of(TOLD_RIGHT.get(0), TOLD_RIGHT.get(1), TOLD_RIGHT.get(2),
                change("p", 4, "SHIPPED", "PARTIALLY_RETURNED", new OrderStatusOracle.LineUnits(2, 0, 1, 0)),
                change("p", 5, "PARTIALLY_RETURNED", "ACCEPTED", new OrderStatusOracle.LineUnits(2, 0, 1, 0)))))
                .as("a final status left later, through a return").anyMatch(p -> p.contains("leaves the final SHIPPED for ACCEPTED"));
    }

    @Test
    void theGroundTruthFindsOrdersToldButNeverPlacedAndOrdersNeverTold() {
        GroundTruth truth = new GroundTruth();
        truth.orders.put("O-1", SHIPPED_ORDER);
        truth.orders.put("O-2", SHIPPED_ORDER);
        assertThat(truth.statusProblems(Map.of("O-1", TOLD_RIGHT, "O-9", TOLD_RIGHT)))
                .anyMatch(p -> p.startsWith("O-9 was told") && p.endsWith("but never placed"))
                .anyMatch(p -> p.startsWith("O-2 status changes []: never told"))
                .noneMatch(p -> p.startsWith("O-1"));
    }

    @Test
    void aStreamEndingElsewhereThanTheFactsIsFound() {
        assertThat(OrderStatusOracle.problems("O-1", TOLD_RIGHT.subList(0, 2), SHIPPED_ORDER))
                .anyMatch(p -> p.contains("the last status told is ACCEPTED, the table gives SHIPPED"))
                .anyMatch(p -> p.contains("lines' units as last told"));
    }
}
