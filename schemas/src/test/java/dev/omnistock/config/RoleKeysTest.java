package dev.omnistock.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RoleKeysTest {

    private static Optional<String> role(String prefix) {
        return prefix.equals("WEB") || prefix.equals("AGENT") ? Optional.of(prefix) : Optional.empty();
    }

    @Test
    void aKeyIsHeldByTheRoleItsEntryNames() {
        RoleKeys<String> keys = RoleKeys.parse("KEYS", " WEB:k1 , AGENT:k2", RoleKeysTest::role, Optional.empty());

        assertThat(keys.roleOf("k1")).hasValue("WEB");
        assertThat(keys.roleOf("k2")).hasValue("AGENT");
        assertThat(keys.roleOf("WEB:k1")).isEmpty();
        assertThat(keys.roleOf(null)).isEmpty();
    }

    @Test
    void anEntryWithoutAKnownRoleIsAPlainKeyWhereTheApiTakesThem() {
        RoleKeys<String> keys = RoleKeys.parse("KEYS", "WEB:k1,plain,odd:key", RoleKeysTest::role, Optional.of("PLAIN"));

        assertThat(keys.roleOf("plain")).hasValue("PLAIN");
        assertThat(keys.roleOf("odd:key")).hasValue("PLAIN");
    }

    @Test
    void unknownRolesEmptyKeysAndRepeatedKeysAreRefused() {
        assertThatThrownBy(() -> RoleKeys.parse("KEYS", "SHOP:k1", RoleKeysTest::role, Optional.empty()))
                .hasMessageContaining("KEYS").hasMessageContaining("'SHOP' is not a role").hasMessageNotContaining("k1");
        assertThatThrownBy(() -> RoleKeys.parse("KEYS", "WEB:", RoleKeysTest::role, Optional.empty())).hasMessageContaining("no key");
        assertThatThrownBy(() -> RoleKeys.parse("KEYS", "WEB:k1,AGENT:k1", RoleKeysTest::role, Optional.empty()))
                .hasMessageContaining("twice").hasMessageNotContaining("k1");
    }

    @Test
    void itNamesNoKey() {
        assertThat(RoleKeys.parse("KEYS", "WEB:secret-one", RoleKeysTest::role, Optional.empty()).toString()).doesNotContain("secret");
    }
}
