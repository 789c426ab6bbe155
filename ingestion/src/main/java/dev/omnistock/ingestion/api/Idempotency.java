package dev.omnistock.ingestion.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Idempotency-Key handling. The event id is derived from the API key (its fingerprint), the endpoint and
 * the Idempotency-Key, so each client's keys are its own (two warehouses may both send "count-1"), and a
 * retried request gets the same event id on any instance and after a restart, and the consumers'
 * duplicate detection (by event id alone) keeps it from counting twice. Within one instance a retry is
 * also answered without publishing again: requests with one key run one at a time, the first publishes
 * and the others get its answer. Only a hash of each body is kept, to refuse a key reused for another
 * request.
 */
final class Idempotency {

    private record Handled(byte[] bodyHash, CompletableFuture<String> response) {
    }

    private final int remembered;
    private final LinkedHashMap<String, Handled> handled = new LinkedHashMap<>(1_024, 0.75f, false);

    Idempotency(int remembered) {
        this.remembered = remembered;
    }

    /** @param scope whose keys these are: the API key's fingerprint */
    static UUID eventId(String scope, String endpoint, Optional<String> key) {
        return key.map(k -> UUID.nameUUIDFromBytes((scope + "\n" + endpoint + "\n" + k).getBytes(StandardCharsets.UTF_8)))
                .orElseGet(UUID::randomUUID);
    }

    /**
     * The answer to the request under this key: {@code handle}'s, run here if no request with the key has
     * been answered (or is being answered) by this instance, else the earlier one's. A different body
     * under a known key is refused; a request that failed is forgotten, so its retry runs again.
     */
    String once(String scope, String endpoint, String key, byte[] body, Callable<String> handle) throws Exception {
        String id = scope + "\n" + endpoint + "\n" + key;
        byte[] hash = sha256(body);
        Handled mine = new Handled(hash, new CompletableFuture<>());
        Handled earlier;
        synchronized (handled) {
            earlier = handled.putIfAbsent(id, mine);
            if (earlier == null && handled.size() > remembered) {
                handled.remove(handled.keySet().iterator().next());
            }
        }
        if (earlier != null) {
            if (!Arrays.equals(earlier.bodyHash(), hash)) {
                throw new ProblemException(422, "Idempotency-Key reused",
                        "Idempotency-Key '" + key + "' was used for a different request; use a new key for a new request");
            }
            try {
                return earlier.response().get();
            } catch (ExecutionException failed) {
                return once(scope, endpoint, key, body, handle); // the earlier attempt failed and was forgotten: try again
            }
        }
        try {
            String response = handle.call();
            mine.response().complete(response);
            return response;
        } catch (Exception | Error e) {
            synchronized (handled) {
                handled.remove(id, mine);
            }
            mine.response().completeExceptionally(e);
            throw e;
        }
    }

    private static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
