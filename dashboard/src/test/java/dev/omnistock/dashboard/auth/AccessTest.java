package dev.omnistock.dashboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AccessTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-07T10:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    @Test
    void aSessionLastsItsLifetimeAndEndsAtLogout() {
        Sessions sessions = new Sessions(Duration.ofHours(12), clock);
        String first = sessions.open();
        String second = sessions.open();
        assertThat(first).isNotEqualTo(second).hasSizeGreaterThanOrEqualTo(43);
        assertThat(sessions.valid(first)).isTrue();
        assertThat(sessions.valid("forged")).isFalse();
        assertThat(sessions.valid(null)).isFalse();

        sessions.close(first);
        assertThat(sessions.valid(first)).isFalse();
        now.set(now.get().plus(Duration.ofHours(12)));
        assertThat(sessions.valid(second)).as("expired").isFalse();
    }

    @Test
    void withKeysOnlyTheLoginPageIsOpenAndTheApiAnswers401() {
        Access access = new Access(dev.omnistock.config.ApiKeys.parse("k1"), new Sessions(Duration.ofHours(1), clock), throttle());
        assertThat(access.decide("/", null, null, "10.0.0.1")).isEqualTo(Access.Verdict.LOGIN);
        assertThat(access.decide("/api/queries", null, null, "10.0.0.1")).isEqualTo(Access.Verdict.UNAUTHORIZED);
        assertThat(access.decide("/login.html", null, null, "10.0.0.1")).isEqualTo(Access.Verdict.ALLOW);
        assertThat(access.decide("/api/queries", "k1", null, "10.0.0.1")).isEqualTo(Access.Verdict.ALLOW);
        assertThat(access.login("k2", "10.0.0.1")).isEmpty();
        String token = access.login("k1", "10.0.0.1").orElseThrow();
        assertThat(access.decide("/api/queries", null, token, "10.0.0.1")).isEqualTo(Access.Verdict.ALLOW);
        assertThat(access.cookie(token, true)).contains("HttpOnly", "SameSite=Strict", "Secure", "Max-Age=3600");

        Access open = new Access(dev.omnistock.config.ApiKeys.parse(""), new Sessions(Duration.ofHours(1), clock), throttle());
        assertThat(open.decide("/api/queries", null, null, "10.0.0.1")).isEqualTo(Access.Verdict.ALLOW);
        assertThat(open.login("anything", "10.0.0.1")).as("nothing to log in to").isEmpty();
    }

    @Test
    void anAddressThatGuessesWrongTooOftenWaitsUntilItsOldestGuessLeavesTheWindow() {
        Access access = new Access(dev.omnistock.config.ApiKeys.parse("k1"), new Sessions(Duration.ofHours(1), clock), throttle());
        for (int i = 0; i < 3; i++) {
            assertThat(access.loginWait("10.0.0.9")).isEmpty();
            access.login("guess-" + i, "10.0.0.9");
            now.set(now.get().plusSeconds(60));
        }
        assertThat(access.loginWait("10.0.0.9")).contains(Duration.ofMinutes(7));
        assertThat(access.loginWait("10.0.0.10")).as("another address").isEmpty();
        now.set(now.get().plus(Duration.ofMinutes(7)));
        assertThat(access.loginWait("10.0.0.9")).isEmpty();
        assertThat(access.login("k1", "10.0.0.9")).isPresent();
    }

    @Test
    void aWrongKeySentAsAHeaderCountsAsAGuessAndAThrottledAddressIsRefusedEvenTheRightKey() {
        Access access = new Access(dev.omnistock.config.ApiKeys.parse("k1"), new Sessions(Duration.ofHours(1), clock), throttle());
        for (int i = 0; i < 3; i++) {
            assertThat(access.decide("/api/queries", "guess-" + i, null, "10.0.0.9")).isEqualTo(Access.Verdict.UNAUTHORIZED);
        }
        assertThat(access.decide("/api/queries", "k1", null, "10.0.0.9")).isEqualTo(Access.Verdict.TOO_MANY_ATTEMPTS);
        assertThat(access.decide("/api/queries", "guess-4", null, "10.0.0.9")).isEqualTo(Access.Verdict.TOO_MANY_ATTEMPTS);
        assertThat(access.loginWait("10.0.0.9")).as("the login page waits too").isPresent();
        assertThat(access.decide("/api/queries", "k1", null, "10.0.0.10")).as("another address").isEqualTo(Access.Verdict.ALLOW);
        assertThat(access.decide("/login.html", "guess-5", null, "10.0.0.9")).as("the login page stays open").isEqualTo(Access.Verdict.ALLOW);
        now.set(now.get().plus(Duration.ofMinutes(10)));
        assertThat(access.decide("/api/queries", "k1", null, "10.0.0.9")).isEqualTo(Access.Verdict.ALLOW);
    }

    @Test
    void aFullThrottleForgetsTheStalestAddressNotEveryone() {
        LoginThrottle throttle = new LoginThrottle(3, Duration.ofMinutes(10), clock, 3);
        throttle.failed("10.0.0.1");
        for (int i = 0; i < 3; i++) {
            throttle.failed("10.0.0.9");
        }
        throttle.failed("10.0.0.2");
        assertThat(throttle.waitFor("10.0.0.3")).as("asking takes no room").isEmpty();
        throttle.failed("10.0.0.3"); // full: 10.0.0.1, whose last failure is oldest, goes
        assertThat(throttle.waitFor("10.0.0.9")).as("still counted").isPresent();
        throttle.failed("10.0.0.1"); // full again: now 10.0.0.9 is the stalest
        assertThat(throttle.waitFor("10.0.0.9")).isEmpty();
    }

    private LoginThrottle throttle() {
        return new LoginThrottle(3, Duration.ofMinutes(10), clock);
    }
}
