package dev.omnistock.notify.subscriptions;

import dev.omnistock.notify.notices.Notice;
import dev.omnistock.notify.notices.Notices;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Who wants to be told what, and where.
 *
 * @param secrets             webhook signing secrets ({@code whsec_...}), newest first; earlier ones only while
 *                            their rotation's overlap lasts
 * @param previousSecretUntil when the last of the earlier secrets stops signing; null when there is none
 * @param failingSince        when its endpoint began failing without a success since; null while it works
 * @param disabledAt          when the notifier disabled it (its endpoint failed too long); null while enabled
 * @param secretsUntil        when each secret stops signing, in the order of {@code secrets}: null for the newest;
 *                            absent in records written before it was kept (every earlier secret then signs
 *                            until {@code previousSecretUntil})
 */
public record Subscription(String id, Destination destination, Filter filter, List<String> secrets, Instant previousSecretUntil,
                           Instant createdAt, Instant failingSince, Instant disabledAt, String disabledReason, List<Instant> secretsUntil) {

    /** A subscription with one secret, or as read from a record without {@code secretsUntil}. */
    public Subscription(String id, Destination destination, Filter filter, List<String> secrets, Instant previousSecretUntil,
                        Instant createdAt, Instant failingSince, Instant disabledAt, String disabledReason) {
        this(id, destination, filter, secrets, previousSecretUntil, createdAt, failingSince, disabledAt, disabledReason, null);
    }

    public enum Kind { WEBHOOK, SLACK, EMAIL }

    /** @param target the URL (webhook, Slack incoming webhook) or the e-mail address */
    public record Destination(Kind kind, String target) {

        /**
         * The target as logs, notices and the API show it: a URL's path and query may hold a secret (a
         * Slack URL is one), an address names a person.
         */
        public String masked() {
            if (kind == Kind.EMAIL) {
                int at = target.lastIndexOf('@');
                return at < 0 ? "***" : "***" + target.substring(at);
            }
            try {
                URI uri = new URI(target);
                return uri.getScheme() == null || uri.getHost() == null ? "***" : uri.getScheme() + "://" + uri.getHost() + "/…";
            } catch (URISyntaxException e) {
                return "***";
            }
        }

        @Override
        public String toString() {
            return "Destination[" + kind + " " + masked() + "]";
        }
    }

    /** Empty lists match everything; a notice must pass every list that is not empty. */
    public record Filter(List<String> kinds, List<String> skus, List<String> skuPrefixes, List<String> locations, List<String> channels) {

        public static final Filter ALL = new Filter(List.of(), List.of(), List.of(), List.of(), List.of());

        public boolean matches(Notice notice) {
            return (kinds.isEmpty() || kinds.stream().anyMatch(pattern -> Notices.kindMatches(pattern, notice.kind())))
                    && (skus.isEmpty() && skuPrefixes.isEmpty()
                        || notice.skus().stream().anyMatch(sku -> skus.contains(sku) || skuPrefixes.stream().anyMatch(sku::startsWith)))
                    && (locations.isEmpty() || notice.locations().stream().anyMatch(locations::contains))
                    && (channels.isEmpty() || notice.channel() != null && channels.contains(notice.channel()));
        }
    }

    public String maskedTarget() {
        return destination.masked();
    }

    /** Without the target's secret parts nor the signing secrets, so that a logged subscription leaks neither. */
    @Override
    public String toString() {
        return "Subscription[" + id + ", " + destination + ", " + filter + ", " + secrets.size() + " secret(s) redacted, created "
                + createdAt + (failingSince == null ? "" : ", failing since " + failingSince)
                + (disabledAt == null ? "" : ", disabled at " + disabledAt) + "]";
    }

    public boolean enabled() {
        return disabledAt == null;
    }

    /** Whether it wants this notice; a disabled one wants nothing until it is enabled again. */
    public boolean wants(Notice notice) {
        return enabled() && filter.matches(notice);
    }

    /** The secrets to sign with now: the newest, and every earlier one whose rotation's overlap still lasts. */
    public List<String> signingSecrets(Instant now) {
        List<Instant> ends = secretEnds();
        List<String> signing = new ArrayList<>();
        for (int i = 0; i < secrets.size(); i++) {
            if (i == 0 || ends.get(i) != null && now.isBefore(ends.get(i))) {
                signing.add(secrets.get(i));
            }
        }
        return signing;
    }

    /**
     * A new secret that signs at once; the one it replaces signs beside it for {@code overlap}, and each
     * earlier one until its own overlap ends: several rotations within an overlap drop no secret a
     * receiver may still use.
     */
    public Subscription withNewSecret(String secret, Instant now, Duration overlap) {
        List<Instant> ends = secretEnds();
        List<String> kept = new ArrayList<>(List.of(secret));
        List<Instant> until = new ArrayList<>();
        until.add(null);
        Instant last = null;
        for (int i = 0; i < secrets.size(); i++) {
            Instant end = i == 0 ? now.plus(overlap) : ends.get(i);
            if (end != null && now.isBefore(end)) {
                kept.add(secrets.get(i));
                until.add(end);
                last = last == null || end.isAfter(last) ? end : last;
            }
        }
        return new Subscription(id, destination, filter, List.copyOf(kept), last, createdAt, failingSince, disabledAt, disabledReason,
                Collections.unmodifiableList(until));
    }

    /** When each secret stops signing (null: the newest), for records with and without {@code secretsUntil}. */
    private List<Instant> secretEnds() {
        if (secretsUntil != null && secretsUntil.size() == secrets.size()) {
            return secretsUntil;
        }
        List<Instant> ends = new ArrayList<>();
        for (int i = 0; i < secrets.size(); i++) {
            ends.add(i == 0 ? null : previousSecretUntil);
        }
        return ends;
    }

    /** After a failed delivery: failing since the first failure that no success followed. */
    public Subscription failing(Instant at) {
        return failingSince != null ? this
                : new Subscription(id, destination, filter, secrets, previousSecretUntil, createdAt, at, disabledAt, disabledReason, secretsUntil);
    }

    public Subscription working() {
        return failingSince == null ? this
                : new Subscription(id, destination, filter, secrets, previousSecretUntil, createdAt, null, disabledAt, disabledReason, secretsUntil);
    }

    public Subscription disabled(Instant at, String reason) {
        return new Subscription(id, destination, filter, secrets, previousSecretUntil, createdAt, failingSince, at, reason, secretsUntil);
    }

    /** Enabled again by hand: its endpoint gets a fresh start. */
    public Subscription reenabled() {
        return new Subscription(id, destination, filter, secrets, previousSecretUntil, createdAt, null, null, null, secretsUntil);
    }
}
