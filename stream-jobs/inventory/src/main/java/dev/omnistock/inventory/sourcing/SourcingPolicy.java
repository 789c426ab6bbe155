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
        List<Map.Entry<String, Integer>> candidates = available.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .sorted(Comparator.<Map.Entry<String, Integer>>comparingInt(Map.Entry::getValue).reversed()
                        .thenComparingInt(e -> priorityOf(e.getKey()))
                        .thenComparing(Map.Entry::getKey))
                .toList();
        if (!candidates.isEmpty() && candidates.get(0).getValue() >= quantity) {
            return Decision.reserved(List.of(new Allocation(candidates.get(0).getKey(), quantity)));
        }
        int total = candidates.stream().mapToInt(Map.Entry::getValue).sum();
        if (allowSplit && total >= quantity) {
            List<Allocation> allocations = new ArrayList<>();
            int remaining = quantity;
            for (Map.Entry<String, Integer> candidate : candidates) {
                int take = Math.min(remaining, candidate.getValue());
                allocations.add(new Allocation(candidate.getKey(), take));
                remaining -= take;
                if (remaining == 0) {
                    break;
                }
            }
            return Decision.reserved(allocations);
        }
        int best = candidates.isEmpty() ? 0 : candidates.get(0).getValue();
        return Decision.rejected(allowSplit
                ? "insufficient stock: " + quantity + " requested, " + total + " available across all locations"
                : "insufficient stock: " + quantity + " requested, at most " + best + " available at one location");
    }

    private int priorityOf(String locationId) {
        int index = locationPriority.indexOf(locationId);
        return index < 0 ? Integer.MAX_VALUE : index;
    }
}
