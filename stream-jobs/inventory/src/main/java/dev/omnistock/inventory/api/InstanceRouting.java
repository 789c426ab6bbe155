package dev.omnistock.inventory.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which instance hosts a key of a store (Kafka Streams' metadata says), and asking that instance over
 * the same HTTP API with scope=local, so that any instance answers for every key.
 */
final class InstanceRouting {

    private static final Logger log = LoggerFactory.getLogger(InstanceRouting.class);

    /**
     * What a client is told to wait when a key's host is away: a failed instance's tasks move within the
     * session timeout, so a client asking again this often has the answer soon after they have.
     */
    static final int RETRY_AFTER_SECONDS = 2;

    private final KafkaStreams streams;
    private final TaskWatch tasks;
    private final HostInfo self;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    InstanceRouting(KafkaStreams streams, TaskWatch tasks, HostInfo self) {
        this.streams = streams;
        this.tasks = tasks;
        this.self = self;
    }

    HostInfo self() {
        return self;
    }

    /**
     * Reads one partition of a store on this instance: the copy of an active task that runs here (also while the
     * threads rebalance, when {@link TaskWatch} vouches for it), or with {@code stale} any copy, a standby's or one still
     * restoring. Empty when this instance holds no such copy now (the tasks moved, or are still restoring). {@code read}
     * only reads: a read that turns out not to be fresh is thrown away.
     */
    <V, R> Optional<R> readPartition(String store, int partition, boolean stale, Function<ReadOnlyKeyValueStore<String, V>, R> read) {
        StoreQueryParameters<ReadOnlyKeyValueStore<String, V>> query = StoreQueryParameters
                .fromNameAndType(store, QueryableStoreTypes.<String, V>keyValueStore()).withPartition(partition);
        if (!stale) {
            try {
                // Kafka Streams' own plain read first: it serves active tasks while the thread runs (not while one restores here).
                return tasks.readRunning(query, store, partition, read);
            } catch (InvalidStateStoreException e) {
                // Refused while the thread rebalances: the watch may still vouch for this copy.
                return streams.state() == KafkaStreams.State.REBALANCING ? tasks.readFresh(query, store, partition, read) : Optional.empty();
            }
        }
        try {
            return Optional.of(read.apply(streams.store(query.enableStaleStores())));
        } catch (InvalidStateStoreException e) {
            return Optional.empty();
        }
    }

    static ProblemException rebalancing() {
        return new ProblemException(503, "Not ready", "The inventory service is rebalancing; retry in a moment", RETRY_AFTER_SECONDS);
    }

    /**
     * A problem whose detail carries an error id instead of what failed: instance addresses, store names and
     * exception texts are for the log, not for clients.
     */
    static ProblemException logged(int status, String title, String detail, Exception cause) {
        String errorId = UUID.randomUUID().toString();
        log.warn("Error {}: {}", errorId, detail, cause);
        return new ProblemException(status, title, detail + " (error id " + errorId + ")");
    }

    /** Where a key's active copy and its standby copies are, and its partition; empty while Streams does not know. */
    Optional<KeyQueryMetadata> metadataOf(String store, String key) {
        KeyQueryMetadata metadata = streams.queryMetadataForKey(store, key, Serdes.String().serializer());
        return metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE) ? Optional.empty() : Optional.of(metadata);
    }

    /**
     * Sends {@code request} (a path with its query, and the body if any) to {@code host}, with the
     * caller's API key. An instance that does not answer (dead, or cut off until its tasks move to the
     * others) is a 503 with Retry-After: the answer comes once the tasks have moved.
     */
    HttpResponse<byte[]> send(HostInfo host, String pathAndQuery, byte[] jsonBody, String apiKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port() + pathAndQuery))
                .timeout(Duration.ofSeconds(5));
        if (jsonBody == null) {
            request.GET();
        } else {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(jsonBody));
        }
        if (apiKey != null) {
            request.header("X-Api-Key", apiKey);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            // Expected while a dead instance's tasks wait for its session to time out: one line, not a stack trace per request.
            String errorId = UUID.randomUUID().toString();
            log.warn("Error {}: asking {}{} failed: {}", errorId, host, pathAndQuery, e.toString());
            throw new ProblemException(503, "Instance unreachable", "Another instance of the inventory service, which holds this, did not"
                    + " answer; its work moves to the others within the session timeout (error id " + errorId + ")", RETRY_AFTER_SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(503, "Interrupted", "Interrupted while asking another instance; retry");
        }
    }
}
