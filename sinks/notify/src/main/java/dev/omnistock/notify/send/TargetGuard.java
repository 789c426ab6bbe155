package dev.omnistock.notify.send;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.Security;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps the notifier from being aimed at its own network: a webhook or Slack target must be https and
 * resolve to public addresses only, unless the operator allow-listed its host, or its host and port
 * ({@code NOTIFY_ALLOWED_TARGET_HOSTS}: {@code host} allows every port, {@code host:port} that one).
 * Otherwise a subscriber could make the notifier post to loopback, the private network or the cloud's
 * metadata service, and read each attempt's status, latency and error back from the delivery log.
 *
 * <p>What it cannot do: the HTTP client looks the name up again to connect (Java 17's client takes
 * no resolver), so a DNS server that answers the guard with a public address and the client with a
 * private one still gets a connection inside. {@link #keepResolvedAnswers()} narrows that window and
 * {@link HttpSender} tells such an attempt only as a timeout, so it reveals nothing of what is there.
 */
public final class TargetGuard {

    /**
     * All a refused attempt says: nothing of what the name resolved to, nor whether anything listens
     * there; a name that does not resolve reads the same, or internal names could be told apart.
     */
    public static final String REFUSED = "refused: does not resolve to public addresses only";
    public static final String ALLOWED_HOSTS_SETTING = "NOTIFY_ALLOWED_TARGET_HOSTS";

    /** Host name to addresses; the system resolver outside tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** An allow-list entry: a host, and the one port allowed there or {@link #ANY_PORT}. */
    private record Allowed(String host, int port) {
    }

    private static final int ANY_PORT = -1;

    private final Set<Allowed> allowed;
    private final Resolver resolver;

    /** @throws IllegalArgumentException for an entry that is neither {@code host} nor {@code host:port} */
    public TargetGuard(Collection<String> allowedHosts, Resolver resolver) {
        this.allowed = allowedHosts.stream().map(String::trim).filter(e -> !e.isEmpty()).map(TargetGuard::allowed)
                .collect(Collectors.toUnmodifiableSet());
        this.resolver = resolver;
    }

    /**
     * @param hosts the setting's entries: a host name or address (every port), or one with a port
     *              ({@code 127.0.0.1:9099}, {@code [::1]:9099}); none allows no host beyond the public internet
     */
    public static TargetGuard allowing(Collection<String> hosts) {
        return new TargetGuard(hosts, InetAddress::getAllByName);
    }

    /**
     * The guard resolves a host right before each attempt and the HTTP client resolves it again right
     * after, to connect. Both lookups must get the same answer, or a name that first resolved to a public
     * address could resolve to a private one for the connection (DNS rebinding): so the JVM's positive
     * lookup cache must be on. It is by default; this keeps an operator's setting of 0 (no cache) from
     * turning it off. The JVM reads the setting once, at its first lookup: call this before any.
     */
    public static void keepResolvedAnswers() {
        String ttl = Security.getProperty("networkaddress.cache.ttl");
        if (ttl == null || !ttl.trim().matches("-1|[1-9]\\d*")) {
            Security.setProperty("networkaddress.cache.ttl", "30");
        }
    }

    /** Whether the operator allowed the target's host, on every port or on the target's (the scheme's default when it names none). */
    public boolean allowListed(URI target) {
        String host = target.getHost();
        if (host == null) {
            return false;
        }
        String h = normalHost(host);
        int port = target.getPort() != -1 ? target.getPort() : "https".equalsIgnoreCase(target.getScheme()) ? 443 : 80;
        return allowed.contains(new Allowed(h, ANY_PORT)) || allowed.contains(new Allowed(h, port));
    }

    private static Allowed allowed(String entry) {
        String e = entry.toLowerCase(Locale.ROOT);
        String host = e;
        String port = null;
        if (e.startsWith("[")) { // [v6]:port or [v6]
            int close = e.indexOf(']');
            if (close < 0 || close + 1 < e.length() && e.charAt(close + 1) != ':') {
                throw badEntry(entry);
            }
            host = e.substring(0, close + 1);
            port = close + 1 < e.length() ? e.substring(close + 2) : null;
        } else if (e.indexOf(':') >= 0 && e.indexOf(':') == e.lastIndexOf(':')) { // host:port; more colons: an IPv6 address alone
            host = e.substring(0, e.indexOf(':'));
            port = e.substring(e.indexOf(':') + 1);
        }
        String h = normalHost(host);
        if (h.isEmpty() || port != null && !port.matches("[1-9]\\d{0,4}") || port != null && Integer.parseInt(port) > 65535) {
            throw badEntry(entry);
        }
        return new Allowed(h, port == null ? ANY_PORT : Integer.parseInt(port));
    }

    private static IllegalArgumentException badEntry(String entry) {
        return new IllegalArgumentException(ALLOWED_HOSTS_SETTING + ": '" + entry + "' is not a host or host:port");
    }

    /**
     * What is wrong with a target URL when a subscription is made, without any DNS lookup (names are
     * checked at each attempt): http, or a literal non-public address, for a host not allow-listed.
     */
    public Optional<String> refusalOf(URI target) {
        if (allowListed(target)) {
            return Optional.empty();
        }
        if (!"https".equalsIgnoreCase(target.getScheme())) {
            return Optional.of("must be an https URL (http only to hosts the operator allows in " + ALLOWED_HOSTS_SETTING + ")");
        }
        Optional<InetAddress> literal = literal(target.getHost());
        if (literal.isPresent() && !isPublic(literal.get())) {
            return Optional.of("is a non-public address; targets must be reachable on the public internet");
        }
        return Optional.empty();
    }

    /**
     * Checked right before an attempt: the reason not to send it, or empty to send. Every address the
     * host resolves to must be public, since the client may connect to any of them.
     */
    public Optional<String> refusalBeforeSending(URI target) {
        String host = target.getHost();
        if (allowListed(target)) {
            return Optional.empty();
        }
        if (!"https".equalsIgnoreCase(target.getScheme())) {
            return Optional.of("refused: http is allowed only to hosts in " + ALLOWED_HOSTS_SETTING + "; subscribe with https");
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(normalHost(host));
        } catch (UnknownHostException e) {
            return Optional.of(REFUSED);
        }
        if (addresses.length == 0 || !Arrays.stream(addresses).allMatch(TargetGuard::isPublic)) {
            return Optional.of(REFUSED);
        }
        return Optional.empty();
    }

    /**
     * Not loopback, any-local, private (10/8, 172.16/12, 192.168/16), carrier-grade NAT (100.64/10),
     * link-local (169.254/16, fe80::/10), unique-local (fc00::/7), multicast, "this network" (0/8),
     * IETF protocol assignments (192.0.0/24), benchmarking (198.18/15) or reserved (240/4, with the
     * broadcast address); nor the local-use NAT64 prefix (64:ff9b:1::/48) or IPv4-translated
     * ::ffff:0:a.b.c.d, both translated inside the operator's network. Other IPv6 forms that carry an
     * IPv4 address are judged by that address.
     */
    static boolean isPublic(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return isPublicV4(b);
        }
        if (isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return isPublicV4(Arrays.copyOfRange(b, 12, 16)); // IPv4-mapped ::ffff:a.b.c.d
        }
        if (isZero(b, 0, 8) && (b[8] & 0xff) == 0xff && (b[9] & 0xff) == 0xff && isZero(b, 10, 12)) {
            return false; // IPv4-translated ::ffff:0:a.b.c.d (SIIT)
        }
        if ((b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && b[4] == 0 && b[5] == 1) {
            return false; // local-use NAT64 64:ff9b:1::/48 (RFC 8215): whatever it maps to is the operator's
        }
        if (isZero(b, 0, 12)) {
            return !isZero(b, 12, 15) && isPublicV4(Arrays.copyOfRange(b, 12, 16)); // ::, ::1 and IPv4-compatible ::a.b.c.d
        }
        if ((b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && isZero(b, 4, 12)) {
            return isPublicV4(Arrays.copyOfRange(b, 12, 16)); // NAT64 64:ff9b::a.b.c.d
        }
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
            return isPublicV4(Arrays.copyOfRange(b, 2, 6)); // 6to4 2002:aabb:ccdd::
        }
        int first = b[0] & 0xff;
        return (first & 0xfe) != 0xfc // unique-local fc00::/7
                && !(first == 0xfe && (b[1] & 0xc0) == 0x80) // link-local fe80::/10
                && !(first == 0xfe && (b[1] & 0xc0) == 0xc0) // site-local fec0::/10 (deprecated, still private)
                && first != 0xff; // multicast
    }

    private static boolean isPublicV4(byte[] b) {
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        return first != 0 // "this network", 0.0.0.0 among it
                && first != 10
                && first != 127
                && !(first == 100 && (second & 0xc0) == 64) // carrier-grade NAT 100.64/10
                && !(first == 169 && second == 254)
                && !(first == 172 && (second & 0xf0) == 16)
                && !(first == 192 && second == 168)
                && !(first == 192 && second == 0 && b[2] == 0) // IETF protocol assignments 192.0.0/24
                && !(first == 198 && (second & 0xfe) == 18) // benchmarking 198.18/15
                && first < 224; // multicast 224/4, reserved 240/4 and broadcast
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** The address a literal host stands for; empty for a name (no lookup is made). */
    private static Optional<InetAddress> literal(String host) {
        String h = normalHost(host);
        if (!h.contains(":") && !h.matches("[0-9.]+")) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(h));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** Lower case, without an IPv6 literal's brackets or a trailing dot. */
    private static String normalHost(String host) {
        String h = host == null ? "" : host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }
}
