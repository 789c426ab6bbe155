package dev.omnistock.inventory.ledger;

/** Which events a ledger has already applied, so that a redelivered or duplicated event counts once. */
public interface AppliedEvents {

    /**
     * For commands that cannot arrive twice: the order side's line commands, which it sends once per
     * order event it has not seen before, under exactly-once. Nothing to look up or remember.
     */
    AppliedEvents NONE = new AppliedEvents() {
        @Override
        public boolean contains(String eventId) {
            return false;
        }

        @Override
        public void add(String eventId) {
        }
    };

    boolean contains(String eventId);

    void add(String eventId);
}
