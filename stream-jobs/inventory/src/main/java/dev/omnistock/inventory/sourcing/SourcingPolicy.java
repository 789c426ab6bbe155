package dev.omnistock.inventory.sourcing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides where an order line is reserved: at the requested location if it can cover the line,
 * else at the location with the most available (ties broken by the configured location priority,
 * then by location id). Splitting a line across locations happens only when allowed.
 */
public final class SourcingPolicy {

    private final List<String> locationPriority;
    private final boolean allowSplit;
    /** Most available first, then by the configured priority, then by location id. */
    private final Comparator<Map.Entry<String, Integer>> bestFirst = Comparator.<Map.Entry<String, Integer>>comparingInt(Map.Entry::getValue)
            .reversed().thenComparingInt(e -> priorityOf(e.getKey())).thenComparing(Map.Entry::getKey);

    /** @param locationPriority preferred locations first; unlisted ones come after, by id */
    public SourcingPolicy(List<String> locationPriority, boolean allowSplit) {
        this.locationPriority = List.copyOf(locationPriority);
        this.allowSplit = allowSplit;
    }

    public record Decision(List<Allocation> allocations, Optional<String> rejectionReason) {
        static Decision reserved(List<Allocation> allocations) {
            return new Decision(List.copyOf(allocations), Optional.empty());
        }

        static Decision rejected(String reason) {
            return new Decision(List.of(), Optional.of(reason));
        }

        public boolean accepted() {
            return rejectionReason.isEmpty();
        }
    }

    /**
     * @param quantity      units of the line, more than zero
     * @param requested     the location the customer asked for, if any
     * @param requestedOnly true when only the requested location will do (the customer collects there)
     * @param available     sellable units per location
     */
    public Decision allocate(int quantity, Optional<String> requested, boolean requestedOnly, Map<String, Integer> available) {
        if (quantity <= 0) {
            return Decision.rejected("quantity must be more than 0, was " + quantity);
        }
        if (requested.isPresent() && available.getOrDefault(requested.get(), 0) >= quantity) {
            return Decision.reserved(List.of(new Allocation(requested.get(), quantity)));
        }
        if (requestedOnly) {
            return Decision.rejected(requested.isEmpty() ? "the line must be reserved at a named location, but none was named"
                    : "insufficient stock at " + requested.get() + ": " + quantity + " requested, "
                    + available.getOrDefault(requested.get(), 0) + " available there");
        }
        // The best location alone decides most lines: found in one pass; only a split needs them all in order.
        Map.Entry<String, Integer> best = null;
        int total = 0;
        for (Map.Entry<String, Integer> candidate : available.entrySet()) {
            if (candidate.getValue() > 0) {
                total += candidate.getValue();
                if (best == null || bestFirst.compare(candidate, best) < 0) {
                    best = candidate;
                }
            }
        }
        if (best != null && best.getValue() >= quantity) {
            return Decision.reserved(List.of(new Allocation(best.getKey(), quantity)));
        }
        if (allowSplit && total >= quantity) {
            List<Allocation> allocations = new ArrayList<>();
            int remaining = quantity;
            for (Map.Entry<String, Integer> candidate : available.entrySet().stream().filter(e -> e.getValue() > 0).sorted(bestFirst).toList()) {
                int take = Math.min(remaining, candidate.getValue());
                allocations.add(new Allocation(candidate.getKey(), take));
                remaining -= take;
                if (remaining == 0) {
                    break;
                }
            }
            return Decision.reserved(allocations);
        }
        int most = best == null ? 0 : best.getValue();
        return Decision.rejected(allowSplit
                ? "insufficient stock: " + quantity + " requested, " + total + " available across all locations"
                : "insufficient stock: " + quantity + " requested, at most " + most + " available at one location");
    }

    private int priorityOf(String locationId) {
        int index = locationPriority.indexOf(locationId);
        return index < 0 ? Integer.MAX_VALUE : index;
    }
}
