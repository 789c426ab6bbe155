package dev.omnistock.dashboard.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Slows down guessing keys at the login page: a client address with {@code maxFailures} wrong keys within
 * the window is refused until the oldest of them leaves it.
 */
public final class LoginThrottle {

    /** Addresses remembered at most; past that the oldest failures are forgotten first. */
    private static final int MAX_ADDRESSES = 10_000;

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new HashMap<>();

    public LoginThrottle(int maxFailures, Duration window, Clock clock) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
    }

    /** How long the address must wait before it may try again; empty when it may try now. */
    public synchronized Optional<Duration> waitFor(String address) {
        Deque<Instant> recent = recent(address);
        if (recent.size() < maxFailures) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(clock.instant(), recent.peekFirst().plus(window)));
    }

    public synchronized void failed(String address) {
        if (failures.size() >= MAX_ADDRESSES && !failures.containsKey(address)) {
            failures.clear();
        }
        recent(address).addLast(clock.instant());
    }

    public synchronized void succeeded(String address) {
        failures.remove(address);
    }

    private Deque<Instant> recent(String address) {
        Deque<Instant> recent = failures.computeIfAbsent(address, a -> new ArrayDeque<>());
        Instant since = clock.instant().minus(window);
        while (!recent.isEmpty() && !recent.peekFirst().isAfter(since)) {
            recent.removeFirst();
        }
        return recent;
    }
}
