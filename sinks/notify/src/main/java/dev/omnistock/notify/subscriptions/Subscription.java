package dev.omnistock.notify.subscriptions;

import dev.omnistock.notify.notices.Notice;
import dev.omnistock.notify.notices.Notices;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Who wants to be told what, and where.
 *
 * @param secrets           webhook signing secrets ({@code whsec_...}), newest first; a second one only while
 *                          a rotation's overlap lasts (until {@code previousSecretUntil})
 * @param failingSince      when its endpoint began failing without a success since; null while it works
 * @param disabledAt        when the notifier disabled it (its endpoint failed too long); null while enabled
 */
public record Subscription(String id, Destination destination, Filter filter, List<String> secrets, Instant previousSecretUntil,
                           Instant createdAt, Instant failingSince, Instant disabledAt, String disabledReason) {

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

    /** The secrets to sign with now: the newest, and the previous one while the rotation's overlap lasts. */
    public List<String> signingSecrets(Instant now) {
        return secrets.size() > 1 && previousSecretUntil != null && now.isBefore(previousSecretUntil) ? secrets : secrets.subList(0, 1);
    }

    public Subscription withNewSecret(String secret, Instant now, Duration overlap) {
        return new Subscription(id, destination, filter, List.of(secret, secrets.get(0)), now.plus(overlap), createdAt, failingSince,
                disabledAt, disabledReason);
    }

    /** After a failed delivery: failing since the first failure that no success followed. */
    public Subscription failing(Instant at) {
        return failingSince != null ? this
                : new Subscription(id, destination, filter, secrets, previousSecretUntil, createdAt, at, disabledAt, disabledReason);
    }

    public Subscription working() {
        return failingSince == null ? this
                : new Subscription(id, destination, filter, secrets, previousSecretUntil, createdAt, null, disabledAt, disabledReason);
    }

    public Subscription disabled(Instant at, String reason) {
        return new Subscription(id, destination, filter, secrets, previousSecretUntil, createdAt, failingSince, at, reason);
    }

    /** Enabled again by hand: its endpoint gets a fresh start. */
    public Subscription reenabled() {
        return new Subscription(id, destination, filter, secrets, previousSecretUntil, createdAt, null, null, null);
    }
}
