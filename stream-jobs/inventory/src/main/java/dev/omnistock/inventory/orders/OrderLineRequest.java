package dev.omnistock.inventory.orders;

/** One line of a placed order. */
public record OrderLineRequest(String lineId, String sku, int quantity) {
}
