package dev.omnistock.dashboard.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Optional;

/**
 * Slows down guessing keys, at the login page or sent as a header: a client address with {@code maxFailures}
 * wrong keys within the window is refused until the oldest of them leaves it.
 */
public final class LoginThrottle {

    /** Addresses remembered at most; past that the address whose last failure is oldest is forgotten first. */
    private static final int MAX_ADDRESSES = 10_000;

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final int maxAddresses;
    /** By last failure, oldest first (a failure moves its address to the end). */
    private final LinkedHashMap<String, Deque<Instant>> failures = new LinkedHashMap<>();

    public LoginThrottle(int maxFailures, Duration window, Clock clock) {
        this(maxFailures, window, clock, MAX_ADDRESSES);
    }

    LoginThrottle(int maxFailures, Duration window, Clock clock, int maxAddresses) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
        this.maxAddresses = maxAddresses;
    }

    /** How long the address must wait before it may try again; empty when it may try now. */
    public synchronized Optional<Duration> waitFor(String address) {
        Deque<Instant> recent = failures.get(address);
        if (recent == null) {
            return Optional.empty(); // asking adds no entry: only failures take room
        }
        forgetOld(recent);
        if (recent.size() < maxFailures) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(clock.instant(), recent.peekFirst().plus(window)));
    }

    public synchronized void failed(String address) {
        Deque<Instant> recent = failures.remove(address);
        if (recent == null) {
            recent = new ArrayDeque<>();
            // Evict the stalest addresses one by one: clearing all would let many addresses reset everyone's count.
            Iterator<Deque<Instant>> oldest = failures.values().iterator();
            while (failures.size() >= maxAddresses && oldest.hasNext()) {
                oldest.next();
                oldest.remove();
            }
        }
        forgetOld(recent);
        recent.addLast(clock.instant());
        failures.put(address, recent);
    }

    public synchronized void succeeded(String address) {
        failures.remove(address);
    }

    private void forgetOld(Deque<Instant> recent) {
        Instant since = clock.instant().minus(window);
        while (!recent.isEmpty() && !recent.peekFirst().isAfter(since)) {
            recent.removeFirst();
        }
    }
}
