package dev.omnistock.ids;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void lettersDigitsAndDotUnderscoreColonDashUpToAHundred() {
        assertThat(List.of("O-1001", "SKU_TSHIRT.M", "mp:4711", "a", "9".repeat(100))).allMatch(Ids::valid);
    }

    @Test
    void aSlashCannotBeInAnIdBecauseIdsTravelInUrlPaths() {
        assertThat(Ids.valid("O/1001")).isFalse();
    }

    @Test
    void otherFormsAreRefused() {
        assertThat(List.of("", "-O-1", ".O", "O 1", "O*1", "Ö-1", "9".repeat(101), "O%2F1")).noneMatch(Ids::valid);
        assertThat(Ids.valid(null)).isFalse();
    }
}
