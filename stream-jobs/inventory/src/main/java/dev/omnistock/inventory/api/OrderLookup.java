package dev.omnistock.inventory.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnistock.inventory.orders.OrderReservation;
import dev.omnistock.inventory.topology.InventoryTopology;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

/** Finds an order in the order side's store, on whichever instance hosts it (as availability is found). */
final class OrderLookup {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final InstanceRouting routing;
    private final CommittedOrders committed;

    OrderLookup(InstanceRouting routing, CommittedOrders committed) {
        this.routing = routing;
        this.committed = committed;
    }

    /**
     * The order as of its last committed change ({@link OrderView#committed}). Empty when no instance
     * knows the order (never placed, its placement not committed yet, or forgotten a retention after it
     * closed), or the reader may not read it. The instance holding the order decides that: it gets the
     * caller's key, and its committed reader, which reads a window back, knows its tasks' changes.
     */
    Optional<byte[]> find(String orderId, boolean localOnly, String apiKey, Reader reader) throws IOException {
        KeyQueryMetadata where = routing.metadataOf(InventoryTopology.ORDER_STORE, orderId).orElseThrow(InstanceRouting::rebalancing);
        HostInfo host = localOnly ? routing.self() : where.activeHost();
        if (host.equals(routing.self())) {
            // The order's partition only: an instance that has just lost that task must say "retry", not "unknown order".
            OrderReservation order = routing.<OrderReservation, Optional<OrderReservation>>readPartition(InventoryTopology.ORDER_STORE,
                    where.partition(), false, store -> Optional.ofNullable(store.get(orderId))).orElseThrow(InstanceRouting::rebalancing)
                    .orElse(null);
            Optional<OrderView> view = order == null || !reader.mayRead(order.channel()) ? Optional.empty()
                    : OrderView.committed(order, committed.lastCommitted(orderId), committed.settledBefore());
            return view.isEmpty() ? Optional.empty() : Optional.of(JSON.writeValueAsBytes(view.get()));
        }
        HttpResponse<byte[]> response = routing.send(host, "/v1/orders/" + URLEncoder.encode(orderId, StandardCharsets.UTF_8)
                + "?scope=local", null, apiKey);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() == 503) {
            throw InstanceRouting.rebalancing(); // its tasks are moving: retry, as from this instance
        }
        if (response.statusCode() != 200) {
            throw InstanceRouting.logged(502, "Instance failed", "Another instance of the inventory service, which holds order "
                    + orderId + ", failed to answer", new IOException(host + " answered " + response.statusCode()));
        }
        return Optional.of(response.body());
    }
}
