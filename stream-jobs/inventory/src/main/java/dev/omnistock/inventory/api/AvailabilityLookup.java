package dev.omnistock.inventory.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnistock.inventory.ledger.SkuLedger;
import dev.omnistock.inventory.topology.InventoryTopology;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Finds a SKU's availability in the ledger store, on whichever instance hosts the SKU: locally, or by
 * asking that instance (Kafka Streams' metadata says which) over the same HTTP API with scope=local.
 */
final class AvailabilityLookup {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final InstanceRouting routing;

    AvailabilityLookup(InstanceRouting routing) {
        this.routing = routing;
    }

    /**
     * @param localOnly true when another instance routed the request here: never route again
     * @param apiKey    the caller's key, passed on to the instance that hosts a SKU (null when the API is open)
     */
    Map<String, AvailabilityView> find(List<String> skus, boolean localOnly, String apiKey) {
        Map<HostInfo, List<String>> byHost = new LinkedHashMap<>();
        for (String sku : skus) {
            HostInfo host = localOnly ? routing.self() : routing.hostOf(InventoryTopology.LEDGER_STORE, sku);
            byHost.computeIfAbsent(host, h -> new ArrayList<>()).add(sku);
        }
        Map<String, AvailabilityView> found = new LinkedHashMap<>();
        byHost.forEach((host, hosted) -> found.putAll(host.equals(routing.self()) ? local(hosted) : remote(host, hosted, apiKey)));
        return found;
    }

    private Map<String, AvailabilityView> local(List<String> skus) {
        return routing.<SkuLedger, Map<String, AvailabilityView>>readLocal(InventoryTopology.LEDGER_STORE, store -> {
            Map<String, AvailabilityView> found = new LinkedHashMap<>();
            for (String sku : skus) {
                Optional.ofNullable(store.get(sku)).ifPresent(ledger -> found.put(sku, AvailabilityView.from(ledger.position())));
            }
            return found;
        });
    }

    private Map<String, AvailabilityView> remote(HostInfo host, List<String> skus, String apiKey) {
        try {
            HttpResponse<byte[]> response = routing.send(host, "/v1/availability/batch?scope=local",
                    JSON.writeValueAsBytes(Map.of("skus", skus)), apiKey);
            if (response.statusCode() != 200) {
                throw InstanceRouting.logged(502, "Instance failed", "Another instance of the inventory service, which holds these SKUs,"
                        + " failed to answer", new IOException(host + " answered " + response.statusCode()));
            }
            BatchResponse batch = JSON.readValue(response.body(), BatchResponse.class);
            Map<String, AvailabilityView> found = new LinkedHashMap<>();
            batch.found().forEach(view -> found.put(view.sku(), view));
            return found;
        } catch (IOException e) {
            throw InstanceRouting.logged(502, "Instance failed", "Another instance of the inventory service, which holds these SKUs,"
                    + " answered unreadably", new IOException("reading " + host + "'s answer", e));
        }
    }

    /** The batch endpoint's answer. */
    record BatchResponse(List<AvailabilityView> found, List<String> notFound) {
    }
}
