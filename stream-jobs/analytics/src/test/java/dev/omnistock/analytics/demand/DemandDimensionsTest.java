package dev.omnistock.analytics.demand;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DemandDimensionsTest {

    @Test
    void demandKeysRoundTripTheirDimensions() {
        DemandDimensions dimensions = new DemandDimensions("SKU-1", "WEB", "STORE-1", "EUR");
        assertThat(DemandDimensions.ofKey(dimensions.key())).isEqualTo(dimensions);
    }
}
