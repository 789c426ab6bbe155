package dev.omnistock.clickhouse.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SinkSettingsTest {

    private final SinkSettings settings = new SinkSettings(100, Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofSeconds(10),
            Duration.ofMinutes(5));

    @Test
    void theBackoffDoublesUpToItsMaximum() {
        assertThat(settings.backoff(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(settings.backoff(4)).isEqualTo(Duration.ofMillis(800));
        assertThat(settings.backoff(30)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void theJitterKeepsEachWaitInTheUpperHalfOfTheBackoff() {
        assertThat(settings.jitteredBackoff(4, 0.0)).isEqualTo(Duration.ofMillis(400));
        assertThat(settings.jitteredBackoff(4, 0.5)).isEqualTo(Duration.ofMillis(600));
        assertThat(settings.jitteredBackoff(4, 0.999)).isBetween(Duration.ofMillis(799), Duration.ofMillis(800));
    }
}
