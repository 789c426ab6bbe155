package dev.omnistock.clickhouse.sink;

import dev.omnistock.clickhouse.ClickHouseConnection;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Collection;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers rows and writes them as one INSERT per batch; see {@link ClickHouseSink}.
 *
 * <p>A failed INSERT is retried from a processing-time timer, never by sleeping on the task thread: the
 * task goes on taking rows (until {@link #MAX_BATCHES_BUFFERED} batches wait, then it yields to its mailbox
 * until they are written: backpressure), and its checkpoints complete with the unwritten rows in the
 * writer's state, from which a restart writes them.
 */
final class ClickHouseSinkWriter<T> implements StatefulSinkWriter<T, List<T>> {

    private static final Logger log = LoggerFactory.getLogger(ClickHouseSinkWriter.class);
    static final int MAX_BATCHES_BUFFERED = 4;

    private final ClickHouseConnection clickHouse;
    private final ClickHouseTable<T> table;
    private final SinkSettings settings;
    private final ProcessingTimeService time;
    private final MailboxExecutor mailbox;
    private final Counter rowsWritten;
    private final List<T> buffer = new ArrayList<>();
    private Connection connection;
    private boolean flushScheduled;
    /** While failing: when the first attempt failed, how many have, and whether a retry timer is set. */
    private long failingSince;
    private int failedAttempts;
    private boolean retryScheduled;

    ClickHouseSinkWriter(ClickHouseConnection clickHouse, ClickHouseTable<T> table, SinkSettings settings,
                         WriterInitContext context, Collection<List<T>> recovered) {
        this.clickHouse = clickHouse;
        this.table = table;
        this.settings = settings;
        this.time = context.getProcessingTimeService();
        this.mailbox = context.getMailboxExecutor();
        this.rowsWritten = context.metricGroup().getNumRecordsSendCounter();
        recovered.forEach(buffer::addAll);
    }

    @Override
    public void write(T row, Context context) throws IOException, InterruptedException {
        buffer.add(row);
        while (failingSince != 0 && buffer.size() >= MAX_BATCHES_BUFFERED * settings.batchSize()) {
            mailbox.yield(); // runs the retry timer among other mails; returns when some mail ran
        }
        if (failingSince != 0) {
            return; // the retry timer writes what waits
        }
        if (buffer.size() >= settings.batchSize()) {
            attempt();
        } else if (!flushScheduled) {
            // Timer callbacks run in the task's mailbox thread, never beside write().
            flushScheduled = true;
            time.registerTimer(time.getCurrentProcessingTime() + settings.maxBatchDelay().toMillis(), now -> {
                flushScheduled = false;
                if (failingSince == 0) {
                    attempt();
                }
            });
        }
    }

    /**
     * Before a checkpoint: one attempt unless a retry is pending; what is not written goes into the
     * checkpoint ({@link #snapshotState}). At the end of a bounded input: until everything is written.
     */
    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        if (!retryScheduled) {
            attempt();
        }
        while (endOfInput && !buffer.isEmpty()) {
            mailbox.yield();
        }
    }

    @Override
    public List<List<T>> snapshotState(long checkpointId) {
        return buffer.isEmpty() ? List.of() : List.of(List.copyOf(buffer));
    }

    /** One INSERT of everything buffered; on failure a retry timer after a jittered backoff, or the job fails. */
    private void attempt() throws IOException {
        if (buffer.isEmpty()) {
            return;
        }
        try {
            insert(buffer);
            rowsWritten.inc(buffer.size());
            buffer.clear();
            if (failingSince != 0) {
                log.info("ClickHouse table {} takes rows again after {} failed attempts", table.name(), failedAttempts);
            }
            failingSince = 0;
            failedAttempts = 0;
        } catch (SQLException | RuntimeException e) {
            closeConnection();
            long now = System.nanoTime();
            failingSince = failingSince == 0 ? now : failingSince;
            failedAttempts++;
            Duration failingFor = Duration.ofNanos(now - failingSince);
            if (failingFor.compareTo(settings.giveUpAfter()) >= 0) {
                throw new IOException("ClickHouse (" + clickHouse.jdbcUrl() + ") refused " + buffer.size() + " rows for "
                        + table.name() + " for " + failingFor.toSeconds() + " s (" + failedAttempts + " attempts). The job "
                        + "fails and restarts from its last checkpoint, so no row is lost; check that ClickHouse is up, "
                        + "the table exists and " + SinkSettings.GIVE_UP_AFTER_MS + " is long enough. Last error: "
                        + e.getMessage(), e);
            }
            Duration wait = settings.jitteredBackoff(failedAttempts, ThreadLocalRandom.current().nextDouble());
            log.warn("Writing {} rows to ClickHouse table {} failed (attempt {}), retrying in {} ms: {}",
                    buffer.size(), table.name(), failedAttempts, wait.toMillis(), e.getMessage());
            retryScheduled = true;
            time.registerTimer(time.getCurrentProcessingTime() + wait.toMillis(), at -> {
                retryScheduled = false;
                attempt();
            });
        }
    }

    private void insert(List<T> rows) throws SQLException {
        if (connection == null) {
            connection = clickHouse.openForInserts();
        }
        try (PreparedStatement insert = connection.prepareStatement(table.insertStatement())) {
            for (T row : rows) {
                table.binder().bind(row, insert);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("Closing a failed ClickHouse connection failed too", e);
            }
            connection = null;
        }
    }

    @Override
    public void close() throws Exception {
        closeConnection();
    }
}
