package dev.omnistock.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What every HTTP API checks before anything else, so that one running without keys on loopback is
 * not an API for every web page its operator's browser opens:
 * <ul>
 * <li>the Host header must name this service (one of its allowed hosts, any port): a page whose
 * name was rebound to 127.0.0.1 (DNS rebinding) sends its own name, and is refused (421);</li>
 * <li>an Origin header, when there is one, must be this service's own origin: the Host's name, or another
 * allowed host, on the Host's port (a Host without a port is the default port of the Origin's scheme), and
 * the scheme of X-Forwarded-Proto when a proxy sends one (browsers send Origin on every cross-site request
 * but simple GETs): a foreign page, or a page of another port on localhost, is refused (403);</li>
 * <li>a POST, PUT, PATCH or DELETE without a body (an action such as enable or logout, which a page can send
 * with {@code mode: "no-cors"} and no preflight) that carries an Origin must come from exactly the Host's
 * own origin (403);</li>
 * <li>a body must come with the endpoint's media type (application/json unless said otherwise): a
 * cross-site form or {@code text/plain} POST, which needs no preflight, is refused (415).</li>
 * </ul>
 * Allowed hosts are the bind address, localhost, 127.0.0.1 and [::1], and the names the service's
 * setting adds; {@code *} there leaves the Host check to a proxy in front and then accepts only
 * same-origin Origins.
 */
public final class RequestGuard {

    public static final String JSON = "application/json";
    public static final String CSV = "text/csv";
    private static final List<String> LOOPBACK = List.of("localhost", "127.0.0.1", "::1");
    private static final Set<String> BODY_METHODS = Set.of("POST", "PUT", "PATCH");
    private static final Set<String> UNSAFE_METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final String ANY_HOST = "*";

    private final Set<String> hosts;
    private final boolean anyHost;
    private final String hostsSetting;
    private final Map<String, String> mediaTypes;

    private RequestGuard(Set<String> hosts, boolean anyHost, String hostsSetting, Map<String, String> mediaTypes) {
        this.hosts = Set.copyOf(hosts);
        this.anyHost = anyHost;
        this.hostsSetting = hostsSetting;
        this.mediaTypes = Map.copyOf(mediaTypes);
    }

    /**
     * @param hostsSetting the setting that adds names (e.g. INVENTORY_ALLOWED_HOSTS), named in refusals
     * @param ownHosts     the names this service is known by anyway: its bind address, an advertised host
     * @param extraHosts   the setting's names (a port, if given, is ignored)
     */
    public static RequestGuard forService(String hostsSetting, List<String> ownHosts, List<String> extraHosts) {
        Set<String> hosts = new LinkedHashSet<>(LOOPBACK);
        List<String> all = new ArrayList<>(ownHosts);
        all.addAll(extraHosts);
        boolean anyHost = false;
        for (String host : all) {
            if (host.trim().equals(ANY_HOST)) {
                anyHost = true;
            } else {
                hostName(host.trim()).ifPresent(hosts::add);
            }
        }
        return new RequestGuard(hosts, anyHost, hostsSetting, Map.of());
    }

    /**
     * Refuses to start a service without keys on an address other machines reach: the guard keeps web pages
     * out, not other machines.
     */
    public static void requireKeysBeyondLoopback(String hostSetting, String host, String keysSetting, boolean noKeys) {
        if (noKeys && !ApiKeys.isLoopback(host)) {
            throw new IllegalStateException(hostSetting + " is " + host + ", reachable from other machines, and " + keysSetting
                    + " is not set: set " + keysSetting + " (and the names clients use in the allowed-hosts setting), or bind to 127.0.0.1");
        }
    }

    /** The same guard with {@code path} taking bodies of {@code mediaType} instead of JSON. */
    public RequestGuard accepting(String path, String mediaType) {
        Map<String, String> types = new HashMap<>(mediaTypes);
        types.put(path, mediaType.toLowerCase(Locale.ROOT));
        return new RequestGuard(hosts, anyHost, hostsSetting, types);
    }

    /**
     * @param header the request's header by name (null when absent)
     * @throws Refused when the request must not be answered; its status and detail make the problem
     */
    public void check(String method, String path, Function<String, String> header) {
        String host = header.apply("Host");
        Optional<String> hostName = host == null ? Optional.empty() : hostName(host);
        if (hostName.isEmpty() || !anyHost && !hosts.contains(hostName.get())) {
            throw new Refused(421, "Unknown host", "This service does not answer for host '" + host + "'. If that is a name"
                    + " clients use for it, add it to " + hostsSetting + " (comma-separated)");
        }
        String origin = header.apply("Origin");
        String upper = method.toUpperCase(Locale.ROOT);
        if (origin != null) {
            OriginMatch match = originMatch(origin, hostName.get(), hostPort(host), header.apply("X-Forwarded-Proto"));
            if (match == OriginMatch.FOREIGN) {
                throw new Refused(403, "Foreign origin", "Requests from pages of " + origin + " are not served (only this"
                        + " service's own scheme, host and port are). If that is where this service's own pages are, add its"
                        + " host to " + hostsSetting);
            }
            // A bodiless action needs no type and so no preflight: only the exact origin the request went to may send one.
            if (match != OriginMatch.EXACT && UNSAFE_METHODS.contains(upper) && !hasBody(header)) {
                throw new Refused(403, "Foreign origin", method + " " + path + " without a body is served to pages of this"
                        + " service's own origin only (scheme, host and port as in the request), not " + origin);
            }
        }
        String accepted = mediaTypes.getOrDefault(path, JSON);
        String contentType = header.apply("Content-Type");
        if (BODY_METHODS.contains(upper) && (contentType != null || hasBody(header))
                && !accepted.equals(mediaType(contentType))) {
            throw new Refused(415, "Unsupported media type", method + " " + path + " takes a body of 'Content-Type: "
                    + accepted + "'" + (contentType == null ? ", and none was given" : ", not '" + contentType + "'"));
        }
    }

    /** A request the guard turns away: an RFC 7807 problem's status, title and detail. */
    public static final class Refused extends RuntimeException {
        private final int status;
        private final String title;

        Refused(int status, String title, String detail) {
            super(detail);
            this.status = status;
            this.title = title;
        }

        public int status() {
            return status;
        }

        public String title() {
            return title;
        }
    }

    private enum OriginMatch { EXACT, ALLOWED_HOST, FOREIGN }

    /**
     * @param requestPort the Host header's port, -1 when it has none (the client used its scheme's default)
     * @param forwardedProto the scheme a proxy says the client used, null without a proxy (then the port tells)
     */
    private OriginMatch originMatch(String origin, String requestHost, int requestPort, String forwardedProto) {
        try {
            URI uri = new URI(origin);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                return OriginMatch.FOREIGN; // "null" (sandboxed frames, files) and other schemes are no site of ours
            }
            int port = uri.getPort() >= 0 ? uri.getPort() : defaultPort(scheme);
            // Another port on the same host is another site: e.g. a dev server on localhost:3000 is not the notifier.
            // Without a proxy's word the port tells the scheme too: one port serves one scheme.
            boolean samePort = requestPort >= 0 ? port == requestPort : port == defaultPort(scheme);
            String proto = forwardedProto == null ? null : forwardedProto.split(",")[0].trim().toLowerCase(Locale.ROOT);
            boolean sameScheme = proto == null || proto.isEmpty() || proto.equals(scheme);
            String name = bare(uri.getHost().toLowerCase(Locale.ROOT));
            if (!samePort || !sameScheme) {
                return OriginMatch.FOREIGN;
            }
            if (name.equals(requestHost)) {
                return OriginMatch.EXACT;
            }
            return !anyHost && hosts.contains(name) ? OriginMatch.ALLOWED_HOST : OriginMatch.FOREIGN;
        } catch (URISyntaxException e) {
            return OriginMatch.FOREIGN;
        }
    }

    private static int defaultPort(String scheme) {
        return scheme.equals("https") ? 443 : 80;
    }

    /** A Host header's port, -1 when it names none (or is not a port). */
    static int hostPort(String host) {
        String h = host.trim();
        int colon = h.startsWith("[") ? h.indexOf("]:") + 1 : h.indexOf(':');
        if (colon <= 0 || h.indexOf(':', colon + 1) >= 0 && !h.startsWith("[")) {
            return -1;
        }
        try {
            return Integer.parseInt(h.substring(colon + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean hasBody(Function<String, String> header) {
        String length = header.apply("Content-Length");
        return header.apply("Transfer-Encoding") != null || length != null && !length.trim().equals("0");
    }

    /** The type and subtype, lower case, without parameters such as charset. */
    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    /** A Host header's (or a setting's) name without its port, lower case, IPv6 without brackets. */
    static Optional<String> hostName(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 2 ? Optional.empty() : Optional.of(h.substring(1, end));
        }
        int colon = h.indexOf(':');
        if (colon >= 0 && h.indexOf(':', colon + 1) < 0) {
            h = h.substring(0, colon); // name:port
        }
        return h.isEmpty() ? Optional.empty() : Optional.of(h);
    }

    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
