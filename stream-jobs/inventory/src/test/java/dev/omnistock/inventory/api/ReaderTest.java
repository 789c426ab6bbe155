package dev.omnistock.inventory.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.omnistock.config.RoleKeys;
import dev.omnistock.events.Channel;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReaderTest {

    private final RoleKeys<Reader> keys = Reader.keys("INVENTORY_API_KEYS", "WEB:web-key,MOBILE_APP:app-key,AGENT:agent-key,dashboard-key");

    private Reader reader(String key) {
        return keys.roleOf(key).orElseThrow();
    }

    @Test
    void aChannelsKeyReadsItsOwnChannelsOrdersOnly() {
        Reader web = reader("web-key");
        assertThat(web).isEqualTo(new Reader(Reader.Kind.CHANNEL, Optional.of(Channel.WEB)));
        assertThat(web.readsOrders()).isTrue();
        assertThat(web.mayRead("WEB")).isTrue();
        assertThat(web.mayRead("MOBILE_APP")).isFalse();
    }

    @Test
    void anAgentsKeyReadsEveryOrder() {
        Reader agent = reader("agent-key");
        assertThat(agent.mayRead("WEB")).isTrue();
        assertThat(agent.mayRead("MOBILE_APP")).isTrue();
    }

    @Test
    void aPlainKeyReadsAvailabilityOnly() {
        Reader dashboard = reader("dashboard-key");
        assertThat(dashboard.readsOrders()).isFalse();
        assertThat(dashboard.mayRead("WEB")).isFalse();
    }

    @Test
    void withoutKeysTheLoopbackOnlyApiReadsEverything() {
        assertThat(Reader.OPEN.readsOrders()).isTrue();
        assertThat(Reader.OPEN.mayRead("MARKETPLACE")).isTrue();
    }

    @Test
    void unknownIsNoChannelAKeyCanBeFor() {
        assertThat(Reader.keys("INVENTORY_API_KEYS", "UNKNOWN:k").roleOf("UNKNOWN:k")).hasValueSatisfying(r ->
                assertThat(r.kind()).isEqualTo(Reader.Kind.AVAILABILITY_ONLY));
        assertThatThrownBy(() -> Reader.keys("INVENTORY_API_KEYS", "WEB:")).hasMessageContaining("no key");
    }
}
