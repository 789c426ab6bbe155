package dev.omnistock.notify.send;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook signatures as the Standard Webhooks specification has them: the secret is {@code whsec_}
 * and base64 key bytes; the signature is {@code v1,} and the base64 HMAC-SHA256 of
 * {@code <webhook-id>.<webhook-timestamp>.<body>}; while a secret is rotated, one per secret,
 * separated by spaces.
 */
public final class Signatures {

    public static final String SECRET_PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Signatures() {
    }

    /** A new secret: 32 random bytes. */
    public static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** The webhook-signature header's value for these secrets. */
    public static String header(List<String> secrets, String id, long timestampSeconds, byte[] body) {
        return secrets.stream().map(secret -> "v1," + sign(secret, id, timestampSeconds, body)).collect(Collectors.joining(" "));
    }

    /**
     * What a receiver checks: the timestamp within {@code tolerance} of now (no replays of old
     * messages) and one of the header's signatures made with {@code secret}, compared in constant time.
     */
    public static boolean verify(String secret, String id, String timestamp, byte[] body, String signatureHeader, Instant now,
                                 Duration tolerance) {
        if (id == null || timestamp == null || signatureHeader == null || !timestamp.matches("\\d{1,12}")) {
            return false;
        }
        long seconds = Long.parseLong(timestamp);
        if (Math.abs(now.getEpochSecond() - seconds) > tolerance.toSeconds()) {
            return false;
        }
        byte[] expected = ("v1," + sign(secret, id, seconds, body)).getBytes(StandardCharsets.UTF_8);
        for (String presented : signatureHeader.trim().split(" +")) {
            if (MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))) {
                return true;
            }
        }
        return false;
    }

    public static String sign(String secret, String id, long timestampSeconds, byte[] body) {
        if (!secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException("a webhook secret starts with " + SECRET_PREFIX);
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length())), "HmacSHA256"));
            mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
