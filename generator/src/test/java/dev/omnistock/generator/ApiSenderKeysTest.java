package dev.omnistock.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnistock.events.Channel;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiSenderKeysTest {

    /** The same list serves INGESTION_API_KEYS, so it may hold an admin's key, with which nothing generated is sent. */
    @Test
    void eachChannelSendsWithItsKeyAndAnAdminsKeyIsLeftOut() {
        assertThat(ApiSender.channelKeys("WEB:k1, WAREHOUSE:k2,ADMIN:k3"))
                .containsExactlyInAnyOrderEntriesOf(Map.of(Channel.WEB, "k1", Channel.WAREHOUSE, "k2"));
    }
}
