package dev.omnistock.notify.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * When each attempt of a delivery is due, counted from the previous one: e.g. "0s,5s,5m,30m,2h,5h,10h,10h"
 * tries at once, then 5 s, 5 min, … later; after the last, the delivery has failed.
 */
public record RetrySchedule(List<Duration> delays) {

    public static final String DEFAULT = "0s,5s,5m,30m,2h,5h,10h,10h";

    public RetrySchedule {
        if (delays.isEmpty()) {
            throw new IllegalArgumentException("a retry schedule needs at least one attempt");
        }
        delays = List.copyOf(delays);
    }

    /** Parses "0s,5s,5m,30m,2h": numbers with s, m, h or d. */
    public static RetrySchedule parse(String spec) {
        List<Duration> delays = new ArrayList<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (!p.matches("\\d+[smhd]")) {
                throw new IllegalArgumentException("'" + p + "' in the retry schedule '" + spec + "' is not a delay like 30s, 5m, 2h or 1d");
            }
            long n = Long.parseLong(p.substring(0, p.length() - 1));
            delays.add(switch (p.charAt(p.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
        }
        return new RetrySchedule(delays);
    }

    /** The delay before attempt {@code attemptsMade + 1}; empty when the schedule has no more. */
    public Optional<Duration> delayAfter(int attemptsMade) {
        return attemptsMade < delays.size() ? Optional.of(delays.get(attemptsMade)) : Optional.empty();
    }
}
