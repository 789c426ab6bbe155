package dev.omnistock.ingestion.api;

import dev.omnistock.events.Channel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * API keys, each bound to one channel: a web-shop key can only send WEB events. Read from
 * INGESTION_API_KEYS ("WEB:key1,MARKETPLACE:key2"), from the environment only. Keys are held hashed.
 */
public final class ApiKeys {

    public static final String ENV = "INGESTION_API_KEYS";

    private final Map<String, Channel> channelByKeyHash;

    private ApiKeys(Map<String, Channel> channelByKeyHash) {
        this.channelByKeyHash = Map.copyOf(channelByKeyHash);
    }

    /** @param spec "CHANNEL:key,CHANNEL:key" */
    public static ApiKeys parse(String spec) {
        Map<String, Channel> keys = new HashMap<>();
        for (String entry : spec.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int colon = entry.indexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) {
                throw new IllegalArgumentException(ENV + " entries must look like CHANNEL:key, e.g. WEB:s3cret");
            }
            Channel channel;
            try {
                channel = Channel.valueOf(entry.substring(0, colon).trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(ENV + ": unknown channel '" + entry.substring(0, colon).trim() + "'", e);
            }
            keys.put(hash(entry.substring(colon + 1).trim()), channel);
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(ENV + " is empty: give every channel that sends events a key, e.g. WEB:s3cret");
        }
        return new ApiKeys(keys);
    }

    public Optional<Channel> channelOf(String presentedKey) {
        return presentedKey == null ? Optional.empty() : Optional.ofNullable(channelByKeyHash.get(hash(presentedKey)));
    }

    private static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
