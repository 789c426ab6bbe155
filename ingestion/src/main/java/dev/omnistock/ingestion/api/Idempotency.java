package dev.omnistock.ingestion.api;

import dev.omnistock.events.Channel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Idempotency-Key handling. The event id is derived from the channel, the endpoint and the key, so a
 * retried request gets the same event id on any instance and after a restart, and the consumers'
 * duplicate detection (by event id) keeps it from counting twice. Answers already given are also
 * remembered here, so a retry to this instance is answered without publishing again.
 */
final class Idempotency {

    private record Remembered(byte[] body, String response) {
    }

    private final Map<String, Remembered> answered;

    Idempotency(int remembered) {
        this.answered = Collections.synchronizedMap(new LinkedHashMap<>(1_024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Remembered> eldest) {
                return size() > remembered;
            }
        });
    }

    static UUID eventId(Channel channel, String endpoint, Optional<String> key) {
        return key.map(k -> UUID.nameUUIDFromBytes((channel + "\n" + endpoint + "\n" + k).getBytes(StandardCharsets.UTF_8)))
                .orElseGet(UUID::randomUUID);
    }

    /** The earlier answer to this key, or empty; a different body under the same key is refused. */
    Optional<String> earlierAnswer(Channel channel, String endpoint, String key, byte[] body) {
        Remembered remembered = answered.get(channel + "\n" + endpoint + "\n" + key);
        if (remembered == null) {
            return Optional.empty();
        }
        if (!Arrays.equals(remembered.body(), body)) {
            throw new ProblemException(422, "Idempotency-Key reused",
                    "Idempotency-Key '" + key + "' was used for a different request; use a new key for a new request");
        }
        return Optional.of(remembered.response());
    }

    void remember(Channel channel, String endpoint, String key, byte[] body, String response) {
        answered.put(channel + "\n" + endpoint + "\n" + key, new Remembered(body, response));
    }
}
