package dev.omnistock.notify.delivery;

import dev.omnistock.notify.notices.Notice;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One notice on its way to one subscription: where it stands and every attempt so far. The notifier
 * writes it to a compacted topic after every change, so a restart resumes exactly the retries that were
 * pending and never repeats one that was acknowledged.
 *
 * <p>{@code roundStart}: the attempts made before the retry schedule last began (0; a redelivery by hand
 * begins it again, so that its notice gets every attempt of the schedule, not one).
 */
public record Delivery(String id, String subscriptionId, Notice notice, Status status, Instant nextAttemptAt, Instant createdAt,
                       List<Attempt> attempts, int roundStart) {

    public enum Status { PENDING, DELIVERED, FAILED }

    /**
     * @param statusCode the HTTP status; null when none came (a timeout, a refused connection, an e-mail)
     * @param outcome    DELIVERED, RETRYING, FAILED or DISABLED
     */
    public record Attempt(int number, Instant at, Integer statusCode, long latencyMs, String outcome, String error) {
    }

    /** What one try gave. {@code retryAfter}: the receiver asked to be tried again no sooner (429 Retry-After). */
    public record Result(boolean delivered, Integer statusCode, long latencyMs, String error, Optional<Duration> retryAfter) {
        public static Result delivered(int statusCode, long latencyMs) {
            return new Result(true, statusCode, latencyMs, null, Optional.empty());
        }

        public static Result failed(Integer statusCode, long latencyMs, String error, Optional<Duration> retryAfter) {
            return new Result(false, statusCode, latencyMs, error, retryAfter);
        }
    }

    /** How many attempts a delivery keeps in its own record; the delivery log has them all. */
    static final int ATTEMPTS_KEPT = 20;
    /** A Retry-After longer than this is taken as this: a receiver cannot park a notice for weeks. */
    static final Duration LONGEST_RETRY_AFTER = Duration.ofDays(1);

    public static String idOf(String noticeId, String subscriptionId) {
        return noticeId + "|" + subscriptionId;
    }

    /** A new delivery, due at once (the schedule's first delay). */
    public static Delivery of(Notice notice, String subscriptionId, Instant now, RetrySchedule schedule) {
        return new Delivery(idOf(notice.id(), subscriptionId), subscriptionId, notice, Status.PENDING,
                now.plus(schedule.delayAfter(0).orElse(Duration.ZERO)), now, List.of(), 0);
    }

    public int attemptsMade() {
        return attempts.isEmpty() ? 0 : attempts.get(attempts.size() - 1).number();
    }

    public boolean dueAt(Instant now) {
        return status == Status.PENDING && !nextAttemptAt.isAfter(now);
    }

    /**
     * The delivery after an attempt at {@code now}: delivered; or pending until the schedule's next
     * delay (or the receiver's Retry-After, when later); or failed when the schedule has no more.
     */
    public Delivery after(Result result, Instant now, RetrySchedule schedule) {
        int number = attemptsMade() + 1;
        if (result.delivered()) {
            return with(Status.DELIVERED, nextAttemptAt, new Attempt(number, now, result.statusCode(), result.latencyMs(), "DELIVERED", null));
        }
        Optional<Duration> delay = schedule.delayAfter(number - roundStart).map(scheduled -> result.retryAfter()
                .map(asked -> asked.compareTo(LONGEST_RETRY_AFTER) > 0 ? LONGEST_RETRY_AFTER : asked)
                .filter(asked -> asked.compareTo(scheduled) > 0).orElse(scheduled));
        if (delay.isEmpty()) {
            return with(Status.FAILED, nextAttemptAt, new Attempt(number, now, result.statusCode(), result.latencyMs(), "FAILED", result.error()));
        }
        return with(Status.PENDING, now.plus(delay.get()),
                new Attempt(number, now, result.statusCode(), result.latencyMs(), "RETRYING", result.error()));
    }

    /**
     * This delivery, as it is now, after an attempt that began from {@code started}: the attempt's
     * result when nothing changed meanwhile; when it was sent again by hand meanwhile, the attempt
     * counts and the delivery is due again at once; when it was given up meanwhile, it stays given up
     * unless the attempt delivered it.
     */
    public Delivery afterAttempt(Delivery started, Result result, Instant now, RetrySchedule schedule) {
        if (this == started || status == Status.PENDING && equals(started)) {
            return after(result, now, schedule);
        }
        if (status == Status.PENDING) {
            return started.after(result, now, schedule).redeliver(now);
        }
        if (result.delivered()) {
            return after(result, now, schedule);
        }
        return with(status, nextAttemptAt, new Attempt(attemptsMade() + 1, now, result.statusCode(), result.latencyMs(), status.name(),
                result.error()));
    }

    /** Delivered or given up. */
    public boolean finished() {
        return status != Status.PENDING;
    }

    /** When it was delivered or given up (its last attempt); null while pending. */
    public Instant finishedAt() {
        return !finished() ? null : attempts.isEmpty() ? createdAt : lastAttempt().at();
    }

    /** Given up because its subscription was disabled. */
    public Delivery abandoned(Instant now, String reason) {
        return with(Status.FAILED, nextAttemptAt, new Attempt(attemptsMade(), now, null, 0, "DISABLED", reason));
    }

    /** Sent again on request: due now, whatever became of it, with the whole retry schedule before it. */
    public Delivery redeliver(Instant now) {
        return new Delivery(id, subscriptionId, notice, Status.PENDING, now, createdAt, attempts, attemptsMade());
    }

    private Delivery with(Status status, Instant next, Attempt attempt) {
        List<Attempt> kept = new ArrayList<>(attempts);
        kept.add(attempt);
        if (kept.size() > ATTEMPTS_KEPT) {
            kept.remove(0);
        }
        return new Delivery(id, subscriptionId, notice, status, next, createdAt, List.copyOf(kept), roundStart);
    }

    public Attempt lastAttempt() {
        return attempts.get(attempts.size() - 1);
    }
}
