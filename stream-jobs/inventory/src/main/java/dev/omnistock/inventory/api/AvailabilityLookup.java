package dev.omnistock.inventory.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnistock.inventory.ledger.SkuLedger;
import dev.omnistock.inventory.topology.InventoryTopology;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds SKUs' availability in the ledger store, on whichever instance hosts each SKU: locally, or by
 * asking that instance (Kafka Streams' metadata says which) over the same HTTP API with scope=local. A
 * host that does not answer makes its SKUs unavailable, not the lookup a failure; when the caller
 * accepts stale answers, those SKUs are read from a standby's copy and marked stale.
 */
final class AvailabilityLookup {

    private static final Logger log = LoggerFactory.getLogger(AvailabilityLookup.class);
    // Instances of another version may send fields this one does not know.
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final String STORE = InventoryTopology.LEDGER_STORE;
    /** Stale lookups that may look again for a moving task's copy at once (the rest answer what they have at once). */
    private static final int LOOKING_AGAIN_AT_ONCE = 4;

    private final InstanceRouting routing;
    private final Semaphore lookingAgain = new Semaphore(LOOKING_AGAIN_AT_ONCE);

    AvailabilityLookup(InstanceRouting routing) {
        this.routing = routing;
    }

    /**
     * @param localOnly true when another instance routed the request here: read this instance's copies only
     * @param staleOk   the caller accepts a standby's copy of a SKU whose active host is away
     * @param apiKey    the caller's key, passed on to the instance that hosts a SKU (null when the API is open)
     */
    BatchAnswer find(List<String> skus, boolean localOnly, boolean staleOk, String apiKey) {
        BatchAnswer answer = new BatchAnswer(skus);
        Map<String, KeyQueryMetadata> where = new HashMap<>();
        Map<HostInfo, List<String>> byHost = new LinkedHashMap<>();
        for (String sku : skus) {
            // Unknown while Streams rebalances: unavailable.
            routing.metadataOf(STORE, sku).ifPresent(metadata -> {
                where.put(sku, metadata);
                byHost.computeIfAbsent(localOnly ? routing.self() : metadata.activeHost(), h -> new ArrayList<>()).add(sku);
            });
        }
        byHost.forEach((host, hosted) -> ask(host, hosted, localOnly && staleOk, where, answer, apiKey));
        if (staleOk && !localOnly) {
            askCopies(answer, where, apiKey);
            // While a task moves, Kafka Streams lets no query read any copy of it for a moment (a standby being
            // promoted, or an active task being recycled into a standby, until it is initialised again): look
            // again shortly, where the metadata of that moment says, rather than name those SKUs unavailable at once.
            // At most a few lookups at a time look again: each holds a request thread and asks other instances, and a
            // caller must not be able to tie up the API with them while tasks move. The others answer at once.
            if (!answer.unavailable().isEmpty() && lookingAgain.tryAcquire()) {
                try {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(InstanceRouting.RETRY_AFTER_SECONDS);
                    while (!answer.unavailable().isEmpty() && System.nanoTime() < deadline && pause()) {
                        Map<String, KeyQueryMetadata> now = new HashMap<>();
                        answer.unavailable().forEach(sku -> routing.metadataOf(STORE, sku).ifPresent(metadata -> now.put(sku, metadata)));
                        askCopies(answer, now, apiKey);
                    }
                } finally {
                    lookingAgain.release();
                }
            }
        }
        return answer;
    }

    /**
     * Asks each copy of the unanswered SKUs in turn, this instance's first: a standby's copy may be on an instance
     * that is away too, and an active copy still restoring is served to stale reads only.
     */
    private void askCopies(BatchAnswer answer, Map<String, KeyQueryMetadata> where, String apiKey) {
        for (int turn = 0; !answer.unavailable().isEmpty(); turn++) {
            Map<HostInfo, List<String>> byCopy = new LinkedHashMap<>();
            for (String sku : answer.unavailable()) {
                List<HostInfo> copies = where.containsKey(sku) ? copies(where.get(sku)) : List.of();
                if (turn < copies.size()) {
                    byCopy.computeIfAbsent(copies.get(turn), h -> new ArrayList<>()).add(sku);
                }
            }
            if (byCopy.isEmpty()) {
                return;
            }
            byCopy.forEach((host, skusThere) -> ask(host, skusThere, true, where, answer, apiKey));
        }
    }

    private static boolean pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(250);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Every instance holding a copy of a key's store, this one first, then the standbys, then the active one. */
    private List<HostInfo> copies(KeyQueryMetadata metadata) {
        List<HostInfo> copies = new ArrayList<>();
        if (metadata.activeHost().equals(routing.self()) || metadata.standbyHosts().contains(routing.self())) {
            copies.add(routing.self());
        }
        metadata.standbyHosts().stream().filter(h -> !copies.contains(h)).forEach(copies::add);
        if (!copies.contains(metadata.activeHost())) {
            copies.add(metadata.activeHost());
        }
        return copies;
    }

    private void ask(HostInfo host, List<String> skus, boolean staleOk, Map<String, KeyQueryMetadata> where, BatchAnswer answer, String apiKey) {
        if (host.equals(routing.self())) {
            local(skus, staleOk, where, answer);
        } else {
            remote(host, skus, staleOk, answer, apiKey);
        }
    }

    /**
     * Reads each SKU's partition here: the active copy if this instance runs it, else (when stale answers
     * are accepted) a standby's or a restoring copy, marked stale. A partition with no copy here leaves its
     * SKUs unavailable: the tasks moved since the asking instance looked, and "unknown SKU" would be wrong.
     */
    private void local(List<String> skus, boolean staleOk, Map<String, KeyQueryMetadata> where, BatchAnswer answer) {
        Map<Integer, List<String>> byPartition = new LinkedHashMap<>();
        skus.forEach(sku -> byPartition.computeIfAbsent(where.get(sku).partition(), p -> new ArrayList<>()).add(sku));
        byPartition.forEach((partition, inPartition) -> {
            boolean read = readPartition(partition, false, inPartition, answer);
            if (!read && staleOk) {
                readPartition(partition, true, inPartition, answer);
            }
        });
    }

    private boolean readPartition(int partition, boolean stale, List<String> skus, BatchAnswer answer) {
        Optional<Map<String, SkuLedger>> read = routing.<SkuLedger, Map<String, SkuLedger>>readPartition(STORE, partition, stale, store -> {
            Map<String, SkuLedger> ledgers = new HashMap<>();
            skus.forEach(sku -> ledgers.put(sku, store.get(sku)));
            return ledgers;
        });
        read.ifPresent(ledgers -> skus.forEach(sku -> {
            SkuLedger ledger = ledgers.get(sku);
            if (ledger == null) {
                answer.missing(sku, stale);
            } else {
                AvailabilityView view = AvailabilityView.from(ledger.position());
                answer.found(stale ? view.asStale() : view);
            }
        }));
        return read.isPresent();
    }

    private void remote(HostInfo host, List<String> skus, boolean staleOk, BatchAnswer answer, String apiKey) {
        try {
            HttpResponse<byte[]> response = routing.send(host, "/v1/availability/batch?scope=local" + (staleOk ? "&stale=ok" : ""),
                    JSON.writeValueAsBytes(Map.of("skus", skus)), apiKey);
            if (response.statusCode() != 200) {
                log.warn("Instance {} answered {} for {} SKUs; they are unavailable in this answer", host, response.statusCode(), skus.size());
                return;
            }
            BatchAnswer.Response batch = JSON.readValue(response.body(), BatchAnswer.Response.class);
            answer.add(batch);
        } catch (ProblemException e) {
            // Unreachable (send logged it under an error id): its SKUs are unavailable, the others answered.
        } catch (IOException e) {
            log.warn("Instance {} answered unreadably for {} SKUs; they are unavailable in this answer", host, skus.size(), e);
        }
    }
}
