package dev.omnistock.dashboard.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * People's logins to the dashboard: a random token per login, valid for a lifetime, held hashed in this
 * process only (a restart asks everyone to log in again).
 */
public final class Sessions {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Duration lifetime;
    private final Clock clock;
    private final Map<String, Instant> expiries = new ConcurrentHashMap<>();

    public Sessions(Duration lifetime, Clock clock) {
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** A new session's token, for the cookie. */
    public String open() {
        Instant now = clock.instant();
        expiries.values().removeIf(expiry -> !expiry.isAfter(now));
        byte[] token = new byte[32];
        RANDOM.nextBytes(token);
        String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(token);
        expiries.put(hash(encoded), now.plus(lifetime));
        return encoded;
    }

    public boolean valid(String token) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        Instant expiry = expiries.get(hash(token));
        return expiry != null && expiry.isAfter(clock.instant());
    }

    public void close(String token) {
        if (token != null) {
            expiries.remove(hash(token));
        }
    }

    public Duration lifetime() {
        return lifetime;
    }

    private static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
