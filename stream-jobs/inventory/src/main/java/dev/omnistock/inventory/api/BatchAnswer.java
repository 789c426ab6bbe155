package dev.omnistock.inventory.api;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The answer to a lookup of several SKUs, gathered from the instances that hold them: each SKU asked is
 * found, known to have no stock record, or unavailable (no instance holding it answered), so one host
 * away costs its SKUs only, never the whole batch.
 */
final class BatchAnswer {

    private final List<String> asked;
    private final Map<String, AvailabilityView> found = new LinkedHashMap<>();
    private final Set<String> notFound = new HashSet<>();

    BatchAnswer(List<String> asked) {
        this.asked = List.copyOf(asked);
    }

    void found(AvailabilityView view) {
        if (asked.contains(view.sku()) && !notFound.contains(view.sku())) {
            found.putIfAbsent(view.sku(), view);
        }
    }

    void notFound(String sku) {
        if (asked.contains(sku) && !found.containsKey(sku)) {
            notFound.add(sku);
        }
    }

    /**
     * A SKU a store read did not find. Only the active copy knows a SKU was never recorded: a standby or a
     * restoring copy may not have it yet, so from a stale read the SKU stays unavailable and the next copy is asked.
     */
    void missing(String sku, boolean staleRead) {
        if (!staleRead) {
            notFound(sku);
        }
    }

    /**
     * What another instance answered. Its "not found" counts only from an instance that also names what it could
     * not answer: one of an earlier version reads only the tasks it runs and calls every other SKU not found.
     */
    void add(Response other) {
        other.found().forEach(this::found);
        if (other.unavailable() != null && other.notFound() != null) {
            other.notFound().forEach(this::notFound);
        }
    }

    /** The SKUs no instance has answered for, in the order asked. */
    List<String> unavailable() {
        return asked.stream().filter(sku -> !found.containsKey(sku) && !notFound.contains(sku)).toList();
    }

    AvailabilityView get(String sku) {
        return found.get(sku);
    }

    boolean isNotFound(String sku) {
        return notFound.contains(sku);
    }

    /** Found, not found and unavailable, each in the order asked. */
    Response response() {
        return new Response(asked.stream().filter(found::containsKey).map(found::get).toList(),
                asked.stream().filter(notFound::contains).toList(), unavailable());
    }

    /**
     * The batch endpoint's answer (and what one instance sends another).
     *
     * @param unavailable SKUs whose host did not answer: ask again after Retry-After (null from an instance of
     *                    an earlier version, which failed the batch instead)
     */
    record Response(List<AvailabilityView> found, List<String> notFound, List<String> unavailable) {
    }
}
