package dev.omnistock.notify.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HttpSenderTest {

    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        assertThat(HttpSender.retryAfter("120", NOW)).hasValue(Duration.ofSeconds(120));
        assertThat(HttpSender.retryAfter("Sat, 05 Dec 2026 12:01:30 GMT", NOW)).hasValue(Duration.ofSeconds(90));
        assertThat(HttpSender.retryAfter("Sat, 05 Dec 2026 11:00:00 GMT", NOW)).as("a date gone by").hasValue(Duration.ZERO);
        assertThat(HttpSender.retryAfter("soon", NOW)).isEmpty();
    }
}
