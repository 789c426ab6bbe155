package dev.omnistock.inventory.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnistock.ingestion.requests.OrderRequests;
import java.math.BigDecimal;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** An order the ingestion API takes is one the inventory API can look up, and the other way round. */
class SharedIdFormTest {

    /** Mostly id characters, and some that are not: '/', a space, '%', '*', a non-ASCII letter. */
    private static final String ALPHABET = "AZaz09Oo-_.:" + "-_.:" + "/ %*é";

    private static boolean ingestionPlaces(String orderId) {
        OrderRequests.PlaceOrder order = new OrderRequests.PlaceOrder(orderId, null, "EUR", null, null,
                List.of(new OrderRequests.Line("1", "SKU-1", 1, BigDecimal.ONE)));
        return order.problems().stream().noneMatch(e -> e.field().equals("orderId"));
    }

    private static boolean inventoryLooksUp(String orderId) {
        try {
            InventoryApi.validOrderId(orderId);
            return true;
        } catch (ProblemException e) {
            return false;
        }
    }

    @Test
    void bothServicesTakeTheSameOrderIds() {
        Random random = new Random(32);
        int taken = 0;
        for (int run = 0; run < 20_000; run++) {
            int length = random.nextInt(10) == 0 ? 95 + random.nextInt(10) : random.nextInt(12);
            StringBuilder id = new StringBuilder();
            for (int i = 0; i < length; i++) {
                id.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            String orderId = id.toString();
            boolean placed = ingestionPlaces(orderId);
            assertThat(inventoryLooksUp(orderId)).as("order id '%s'", orderId).isEqualTo(placed);
            taken += placed ? 1 : 0;
        }
        assertThat(taken).as("the runs cover taken and refused ids").isBetween(1_000, 19_000);
    }

    @Test
    void anOrderIdWithASlashIsRefusedByBoth() {
        assertThat(ingestionPlaces("O/2001")).isFalse();
        assertThat(inventoryLooksUp("O/2001")).isFalse();
        assertThat(ingestionPlaces("O-2001")).isTrue();
        assertThat(inventoryLooksUp("O-2001")).isTrue();
    }
}
