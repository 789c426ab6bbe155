package dev.omnistock.analytics.job;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Event time for one Kafka partition: bounded out-of-orderness while records come; when they stop for
 * {@code quiet}, event time goes on at the wall clock's pace from the newest event, so that the last
 * minutes close and reach ClickHouse although no later event arrives to close them.
 *
 * <p>The clock moves event time at most {@code allowedLateness} past the newest event. Any record still
 * on its way (read late because the broker or the job was away) is then late by less than the allowed
 * lateness and corrects its minute instead of being counted apart. Past that bound, the partition is
 * marked idle: it stops holding the other partitions back, as a partition with no record since the
 * start does.
 */
final class LiveWatermarks<T> implements WatermarkGenerator<T> {

    private final long outOfOrderness;
    private final long quiet;
    private final long allowedLateness;
    private final LongSupplier wallClock;
    private long newestEventTime = Long.MIN_VALUE;
    /** Wall-clock time the newest event was read. */
    private long newestReadAt;
    private long silentSince;

    LiveWatermarks(Duration outOfOrderness, Duration quiet, Duration allowedLateness, LongSupplier wallClock) {
        this.outOfOrderness = outOfOrderness.toMillis();
        this.quiet = quiet.toMillis();
        this.allowedLateness = allowedLateness.toMillis();
        this.wallClock = wallClock;
        this.silentSince = wallClock.getAsLong();
    }

    @Override
    public void onEvent(T event, long eventTime, WatermarkOutput output) {
        long now = wallClock.getAsLong();
        silentSince = now;
        if (eventTime != Long.MIN_VALUE && eventTime >= newestEventTime) { // MIN_VALUE: unreadable, no event time
            newestEventTime = eventTime;
            newestReadAt = now;
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long now = wallClock.getAsLong();
        if (newestEventTime == Long.MIN_VALUE) {
            if (now - silentSince >= quiet) {
                output.markIdle();
            }
            return;
        }
        if (now - silentSince < quiet) {
            output.emitWatermark(new Watermark(newestEventTime - outOfOrderness - 1));
            return;
        }
        // As if events had gone on arriving with the lag the newest one had; continuous where the clock takes over.
        long eventTimeNow = newestEventTime + (now - newestReadAt) - quiet;
        if (eventTimeNow - newestEventTime < allowedLateness) {
            output.emitWatermark(new Watermark(eventTimeNow - outOfOrderness - 1));
        } else {
            output.markIdle();
        }
    }
}
