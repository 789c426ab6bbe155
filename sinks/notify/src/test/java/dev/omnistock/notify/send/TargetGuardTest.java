package dev.omnistock.notify.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetGuardTest {

    /** Names as a test DNS has them; any other name does not resolve. Addresses stand for themselves, as with the system's resolver. */
    private static final Map<String, List<String>> DNS = Map.of(
            "hooks.example.com", List.of("93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"),
            "internal.example.com", List.of("10.0.0.5"),
            "half-internal.example.com", List.of("93.184.215.14", "192.168.1.20"),
            "metadata.example.com", List.of("169.254.169.254"));

    private static final TargetGuard.Resolver FAKE_DNS = host -> {
        List<String> addresses = host.contains(":") || host.matches("[0-9.]+") ? List.of(host) : DNS.get(host);
        if (addresses == null) {
            throw new UnknownHostException(host);
        }
        InetAddress[] out = new InetAddress[addresses.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = InetAddress.getByName(addresses.get(i));
        }
        return out;
    };

    private static boolean isPublic(String literal) throws UnknownHostException {
        return TargetGuard.isPublic(InetAddress.getByName(literal));
    }

    @Test
    void nonPublicAddressesAreRecognised() throws Exception {
        for (String address : List.of("127.0.0.1", "127.255.0.9", "0.0.0.0", "10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.255",
                "192.168.0.1", "100.64.0.1", "100.127.255.254", "169.254.169.254", "224.0.0.1", "239.255.255.250", "255.255.255.255",
                "240.0.0.1", "::1", "::", "fe80::1", "febf::1", "fc00::1", "fdff:ffff::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.1.2.3",
                "::ffff:169.254.169.254", "::127.0.0.1", "::10.0.0.1", "64:ff9b::10.0.0.1", "2002:a00:1::",
                // IETF protocol assignments, benchmarking, local-use NAT64 (whatever it carries) and IPv4-translated forms
                "192.0.0.1", "192.0.0.170", "198.18.0.1", "198.19.255.254", "64:ff9b:1::10.0.0.1", "64:ff9b:1::8.8.8.8",
                "64:ff9b:1:ffff::1", "::ffff:0:10.0.0.1", "::ffff:0:8.8.8.8")) {
            assertThat(isPublic(address)).as(address).isFalse();
        }
    }

    @Test
    void publicAddressesPass() throws Exception {
        for (String address : List.of("8.8.8.8", "1.1.1.1", "93.184.215.14", "172.15.255.255", "172.32.0.1", "100.63.255.255",
                "100.128.0.1", "169.253.1.1", "192.169.0.1", "223.255.255.254", "2606:4700:4700::1111", "2a00:1450:4001::200e",
                "::ffff:8.8.8.8", "64:ff9b::8.8.8.8", "192.0.1.1", "192.1.0.1", "198.17.255.255", "198.20.0.1")) {
            assertThat(isPublic(address)).as(address).isTrue();
        }
    }

    @Test
    void anIpv4MappedAddressKeptInItsIpv6FormIsJudgedByItsIpv4Address() throws Exception {
        // InetAddress.getByName turns ::ffff:a.b.c.d into an IPv4 address; raw bytes can still arrive as IPv6.
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 127;
        mapped[15] = 1;
        assertThat(TargetGuard.isPublic(Inet6Address.getByAddress(null, mapped, -1))).isFalse();
        mapped[12] = 8;
        mapped[13] = 8;
        mapped[14] = 8;
        mapped[15] = 8;
        assertThat(TargetGuard.isPublic(Inet6Address.getByAddress(null, mapped, -1))).isTrue();
    }

    @Test
    void beforeSendingEveryResolvedAddressMustBePublic() {
        TargetGuard guard = new TargetGuard(List.of(), FAKE_DNS);
        assertThat(guard.refusalBeforeSending(URI.create("https://hooks.example.com/x"))).isEmpty();
        for (String target : List.of("https://internal.example.com/x", "https://half-internal.example.com/x",
                "https://metadata.example.com/latest/meta-data/", "https://127.0.0.1/x", "https://10.1.2.3:8123/?query=x",
                "https://169.254.169.254/latest/meta-data/", "https://[::ffff:127.0.0.1]:8060/v1/subscriptions", "https://[::1]/x")) {
            assertThat(guard.refusalBeforeSending(URI.create(target))).as(target).hasValue(TargetGuard.REFUSED);
        }
    }

    @Test
    void aNameTheSystemResolvesToLoopbackIsRefused() {
        TargetGuard guard = TargetGuard.allowing(List.of());
        assertThat(guard.refusalBeforeSending(URI.create("https://localhost:8060/v1/subscriptions"))).hasValue(TargetGuard.REFUSED);
    }

    @Test
    void theRefusalSaysNothingOfTheTargetsNetwork() {
        String refusal = new TargetGuard(List.of(), FAKE_DNS).refusalBeforeSending(URI.create("https://internal.example.com:8123/x")).orElseThrow();
        assertThat(refusal).isEqualTo("refused: does not resolve to public addresses only").doesNotContain("10.0.0.5").doesNotContain("8123");
    }

    @Test
    void anAllowListedHostIsReachedOverHttpAndAtANonPublicAddress() {
        TargetGuard guard = new TargetGuard(List.of(" 127.0.0.1", "Internal.Example.com", "[::1]"), FAKE_DNS);
        assertThat(guard.refusalBeforeSending(URI.create("http://127.0.0.1:9099/hooks"))).isEmpty();
        assertThat(guard.refusalBeforeSending(URI.create("http://internal.example.com/x"))).isEmpty();
        assertThat(guard.refusalBeforeSending(URI.create("https://[::1]:9099/x"))).isEmpty();
        assertThat(guard.refusalOf(URI.create("http://127.0.0.1:9099/hooks"))).isEmpty();
        // Only the names listed: another name for the same address is not.
        assertThat(guard.refusalBeforeSending(URI.create("https://metadata.example.com/x"))).hasValue(TargetGuard.REFUSED);
    }

    @Test
    void httpIsRefusedForHostsNotAllowListed() {
        TargetGuard guard = new TargetGuard(List.of("127.0.0.1"), FAKE_DNS);
        assertThat(guard.refusalOf(URI.create("http://hooks.example.com/x"))).hasValueSatisfying(r -> assertThat(r).contains("https"));
        assertThat(guard.refusalBeforeSending(URI.create("http://hooks.example.com/x"))).hasValueSatisfying(r -> assertThat(r).contains("https"));
    }

    @Test
    void atSubscriptionLiteralNonPublicAddressesAreRefusedAndNamesAreNotLookedUp() {
        TargetGuard guard = new TargetGuard(List.of(), host -> {
            throw new AssertionError("no lookup when a subscription is made: " + host);
        });
        for (String target : List.of("https://127.0.0.1/x", "https://10.0.0.8/x", "https://169.254.169.254/latest", "https://[::1]/x",
                "https://[::ffff:127.0.0.1]/x", "https://[fd00::1]/x", "https://0.0.0.0/x")) {
            assertThat(guard.refusalOf(URI.create(target))).as(target).isPresent();
        }
        assertThat(guard.refusalOf(URI.create("https://hooks.example.com/x"))).isEmpty();
        assertThat(guard.refusalOf(URI.create("https://8.8.8.8/x"))).isEmpty();
    }

    @Test
    void aNameThatDoesNotResolveIsNotSentToAndReadsAsOneThatResolvesInside() {
        // Two texts would tell a subscriber which internal names the notifier's DNS knows.
        assertThat(new TargetGuard(List.of(), FAKE_DNS).refusalBeforeSending(URI.create("https://nowhere.example.com/x")))
                .hasValue(TargetGuard.REFUSED);
    }

    @Test
    void anAllowListEntryWithAPortAllowsThatPortOnly() {
        TargetGuard guard = new TargetGuard(List.of("127.0.0.1:9099", "[::1]:8443", "internal.example.com:443", "10.0.0.5"), FAKE_DNS);
        assertThat(guard.refusalBeforeSending(URI.create("http://127.0.0.1:9099/hooks"))).isEmpty();
        assertThat(guard.refusalOf(URI.create("http://127.0.0.1:9099/hooks"))).isEmpty();
        assertThat(guard.refusalBeforeSending(URI.create("https://[::1]:8443/x"))).isEmpty();
        assertThat(guard.refusalBeforeSending(URI.create("https://internal.example.com/x"))).as("https's default port").isEmpty();
        assertThat(guard.allowListed(URI.create("http://127.0.0.1:9099/x"))).isTrue();
        // ClickHouse's HTTP port on the same host is not allowed: the host's other ports get the public-internet rules.
        assertThat(guard.allowListed(URI.create("http://127.0.0.1:8123/"))).isFalse();
        assertThat(guard.refusalOf(URI.create("http://127.0.0.1:8123/?query=SELECT+1"))).isPresent();
        assertThat(guard.refusalBeforeSending(URI.create("https://127.0.0.1:8123/"))).hasValue(TargetGuard.REFUSED);
        assertThat(guard.refusalBeforeSending(URI.create("https://[::1]:9099/x"))).hasValue(TargetGuard.REFUSED);
        assertThat(guard.refusalBeforeSending(URI.create("https://internal.example.com:8443/x"))).hasValue(TargetGuard.REFUSED);
        assertThat(guard.refusalOf(URI.create("http://127.0.0.1/x"))).as("http's default port, 80").isPresent();
        // A bare host still allows every port.
        assertThat(guard.refusalBeforeSending(URI.create("http://10.0.0.5:8123/"))).isEmpty();
        assertThat(guard.refusalBeforeSending(URI.create("http://10.0.0.5/"))).isEmpty();
        // An IPv6 address without brackets is a host, not host:port.
        assertThat(new TargetGuard(List.of("fd00::5"), FAKE_DNS).refusalBeforeSending(URI.create("http://[fd00::5]:7000/"))).isEmpty();
    }

    @Test
    void anAllowListEntryThatIsNeitherHostNorHostAndPortStopsTheStart() {
        for (String entry : List.of("127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:http", "[::1]9099", "[::1", ":9099")) {
            assertThatThrownBy(() -> new TargetGuard(List.of(entry), FAKE_DNS)).as(entry).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(TargetGuard.ALLOWED_HOSTS_SETTING);
        }
    }
}
