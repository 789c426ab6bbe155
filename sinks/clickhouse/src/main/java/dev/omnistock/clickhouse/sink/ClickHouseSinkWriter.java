package dev.omnistock.clickhouse.sink;

import dev.omnistock.clickhouse.ClickHouseConnection;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Buffers rows and writes them as one INSERT per batch; see {@link ClickHouseSink}. */
final class ClickHouseSinkWriter<T> implements SinkWriter<T> {

    private static final Logger log = LoggerFactory.getLogger(ClickHouseSinkWriter.class);

    private final ClickHouseConnection clickHouse;
    private final ClickHouseTable<T> table;
    private final SinkSettings settings;
    private final ProcessingTimeService time;
    private final Counter rowsWritten;
    private final List<T> buffer = new ArrayList<>();
    /** Where in the buffer each identity's row is, for tables with a {@link RowIdentity}. */
    private final Map<Object, Integer> positions = new HashMap<>();
    private Connection connection;
    private boolean flushScheduled;

    ClickHouseSinkWriter(ClickHouseConnection clickHouse, ClickHouseTable<T> table, SinkSettings settings,
                         ProcessingTimeService time, SinkWriterMetricGroup metrics) {
        this.clickHouse = clickHouse;
        this.table = table;
        this.settings = settings;
        this.time = time;
        this.rowsWritten = metrics.getNumRecordsSendCounter();
    }

    @Override
    public void write(T row, Context context) throws IOException, InterruptedException {
        if (table.identity() == null) {
            buffer.add(row);
        } else {
            Integer earlier = positions.putIfAbsent(table.identity().of(row), buffer.size());
            if (earlier == null) {
                buffer.add(row);
            } else {
                buffer.set(earlier, row); // the newer row replaces it, as ClickHouse would
            }
        }
        if (buffer.size() >= settings.batchSize()) {
            writeBuffer();
        } else if (!flushScheduled) {
            // Timer callbacks run in the task's mailbox thread, never beside write().
            flushScheduled = true;
            time.registerTimer(time.getCurrentProcessingTime() + settings.maxBatchDelay().toMillis(), now -> {
                flushScheduled = false;
                writeBuffer();
            });
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        writeBuffer();
    }

    private void writeBuffer() throws IOException, InterruptedException {
        if (buffer.isEmpty()) {
            return;
        }
        long firstFailure = 0;
        for (int attempt = 1; ; attempt++) {
            try {
                insert(buffer);
                rowsWritten.inc(buffer.size());
                buffer.clear();
                positions.clear();
                return;
            } catch (SQLException | RuntimeException e) {
                closeConnection();
                long now = System.nanoTime();
                firstFailure = attempt == 1 ? now : firstFailure;
                Duration failingFor = Duration.ofNanos(now - firstFailure);
                if (failingFor.compareTo(settings.giveUpAfter()) >= 0) {
                    throw new IOException("ClickHouse (" + clickHouse.jdbcUrl() + ") refused " + buffer.size() + " rows for "
                            + table.name() + " for " + failingFor.toSeconds() + " s (" + attempt + " attempts). The job "
                            + "fails and restarts from its last checkpoint, so no row is lost; check that ClickHouse is up, "
                            + "the table exists and " + SinkSettings.GIVE_UP_AFTER_MS + " is long enough. Last error: "
                            + e.getMessage(), e);
                }
                Duration wait = settings.backoff(attempt);
                log.warn("Writing {} rows to ClickHouse table {} failed (attempt {}), retrying in {} ms: {}",
                        buffer.size(), table.name(), attempt, wait.toMillis(), e.getMessage());
                // Blocking here backpressures the job: sources slow down instead of rows piling up.
                Thread.sleep(wait.toMillis());
            }
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
