package dev.omnistock.inventory.sourcing;

/** Units of one order line reserved at one location. */
public record Allocation(String locationId, int quantity) {
}
