package dev.omnistock.inventory.ledger;

import java.util.HashSet;
import java.util.Set;

/** Applied event ids in a set, for tests of the rules without Kafka. */
public final class InMemoryAppliedEvents implements AppliedEvents {

    private final Set<String> ids = new HashSet<>();

    @Override
    public boolean contains(String eventId) {
        return ids.contains(eventId);
    }

    @Override
    public void add(String eventId) {
        ids.add(eventId);
    }
}
