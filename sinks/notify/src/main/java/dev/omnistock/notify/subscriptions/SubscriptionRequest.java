package dev.omnistock.notify.subscriptions;

import dev.omnistock.events.Channel;
import dev.omnistock.notify.notices.Notices;
import dev.omnistock.notify.send.TargetGuard;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A subscription as a client asks for it (JSON), checked field by field so that every refusal says
 * what to send instead:
 * <pre>{"kind": "webhook", "target": "https://…", "filter": {"kinds": ["inventory.alert.*"], "skuPrefixes": ["SKU-"]}}</pre>
 */
public final class SubscriptionRequest {

    private static final Set<String> FIELDS = Set.of("kind", "target", "filter");
    private static final Set<String> FILTER_FIELDS = Set.of("kinds", "skus", "skuPrefixes", "locations", "channels");

    /** A request refused, with the problem's title and detail. */
    public static final class Invalid extends RuntimeException {
        public final String title;

        Invalid(String title, String detail) {
            super(detail);
            this.title = title;
        }
    }

    public record Checked(Subscription.Destination destination, Subscription.Filter filter) {
    }

    private SubscriptionRequest() {
    }

    /** @param guard refuses http and literal non-public addresses, but for hosts the operator allows */
    public static Checked check(Map<?, ?> body, TargetGuard guard) {
        for (Object field : body.keySet()) {
            if (!FIELDS.contains(field)) {
                throw new Invalid("Unknown field", "'" + field + "' is not a field of a subscription; send " + FIELDS);
            }
        }
        Subscription.Kind kind = kind(body.get("kind"));
        if (!(body.get("target") instanceof String target) || target.isBlank()) {
            throw new Invalid("Invalid target", "'target' must be the webhook URL or the e-mail address, as a string");
        }
        if (kind == Subscription.Kind.EMAIL) {
            checkAddress(target);
        } else {
            checkUrl(target, guard);
        }
        return new Checked(new Subscription.Destination(kind, target.trim()), filter(body.get("filter")));
    }

    private static Subscription.Kind kind(Object value) {
        if (value instanceof String s) {
            try {
                return Subscription.Kind.valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                // told below
            }
        }
        throw new Invalid("Unknown destination kind", "'kind' must be one of " + Arrays.toString(Subscription.Kind.values())
                + " (any case), not " + value);
    }

    // The target is not repeated in a refusal: a Slack URL is a secret, and answers get logged.
    private static void checkUrl(String target, TargetGuard guard) {
        URI uri;
        try {
            uri = new URI(target.trim());
        } catch (URISyntaxException e) {
            throw new Invalid("Invalid URL", "'target' is not a URL"
                    + (e.getIndex() < 0 ? "" : " (the character at position " + e.getIndex() + " is not allowed there)"));
        }
        if (!("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme())) || uri.getHost() == null) {
            throw new Invalid("Invalid URL", "'target' is not an absolute https URL with a host");
        }
        guard.refusalOf(uri).ifPresent(refusal -> {
            throw new Invalid("Target not allowed", "'target' " + refusal);
        });
    }

    private static void checkAddress(String target) {
        try {
            new InternetAddress(target.trim(), true).validate();
        } catch (AddressException e) {
            throw new Invalid("Invalid e-mail address", "'target' is not an e-mail address like name@example.com");
        }
    }

    private static Subscription.Filter filter(Object value) {
        if (value == null) {
            return Subscription.Filter.ALL;
        }
        if (!(value instanceof Map<?, ?> filter)) {
            throw new Invalid("Malformed filter", "'filter' must be an object with any of " + FILTER_FIELDS);
        }
        for (Object field : filter.keySet()) {
            if (!FILTER_FIELDS.contains(field)) {
                throw new Invalid("Malformed filter", "'" + field + "' is not a filter; filters are " + FILTER_FIELDS);
            }
        }
        List<String> kinds = strings(filter, "kinds");
        for (String kind : kinds) {
            if (!Notices.isKnownKindPattern(kind)) {
                throw new Invalid("Unknown event kind", "'" + kind + "' is no kind of notice; kinds are " + Notices.KINDS
                        + ", or a prefix of them ending in .* (e.g. order.status.*)");
            }
        }
        List<String> channels = strings(filter, "channels");
        for (String channel : channels) {
            if (Arrays.stream(Channel.values()).noneMatch(c -> c.name().equals(channel))) {
                throw new Invalid("Malformed filter", "'" + channel + "' is no sales channel; channels are " + Arrays.toString(Channel.values()));
            }
        }
        return new Subscription.Filter(kinds, strings(filter, "skus"), strings(filter, "skuPrefixes"), strings(filter, "locations"), channels);
    }

    private static List<String> strings(Map<?, ?> filter, String field) {
        Object value = filter.get(field);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new Invalid("Malformed filter", "filter '" + field + "' must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof String s) || s.isBlank()) {
                throw new Invalid("Malformed filter", "filter '" + field + "' must hold non-empty strings, not " + item);
            }
            out.add(s.trim());
        }
        return List.copyOf(out);
    }
}
