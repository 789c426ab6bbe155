package dev.omnistock.inventory.ledger;

/** Which events a ledger has already applied, so that a redelivered or duplicated event counts once. */
public interface AppliedEvents {

    boolean contains(String eventId);

    void add(String eventId);
}
