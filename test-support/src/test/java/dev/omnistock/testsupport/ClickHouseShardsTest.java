package dev.omnistock.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClickHouseShardsTest {

    @Test
    void onlyAPlainIdentifierIsTakenAsADatabaseName() {
        assertThat(ClickHouseShards.plainDatabase("shards_1a2b3c")).isEqualTo("shards_1a2b3c");
        for (String name : new String[] {"x; DROP DATABASE default", "a-b", "1abc", "", "`x`"}) {
            assertThatThrownBy(() -> ClickHouseShards.plainDatabase(name)).as(name).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
