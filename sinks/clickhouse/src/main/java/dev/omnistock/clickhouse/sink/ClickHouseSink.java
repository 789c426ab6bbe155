package dev.omnistock.clickhouse.sink;

import dev.omnistock.clickhouse.ClickHouseConnection;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A Flink sink writing rows into one ClickHouse table through the JDBC driver, in batches by size and
 * time, retrying with backoff while ClickHouse is slow or down (the job is backpressured, nothing is
 * dropped). Everything buffered is written before a checkpoint completes, so a restart replays only
 * rows after it: at-least-once delivery. Tables whose rows carry a deterministic identity and version
 * (ReplacingMergeTree) turn that into effectively-once totals; given that identity
 * ({@link ClickHouseTable#identity()}), the sink sends only the last row of each identity in a batch.
 */
public final class ClickHouseSink<T> implements Sink<T> {

    private final ClickHouseConnection connection;
    private final ClickHouseTable<T> table;
    private final SinkSettings settings;

    public ClickHouseSink(ClickHouseConnection connection, ClickHouseTable<T> table, SinkSettings settings) {
        this.connection = connection;
        this.table = table;
        this.settings = settings;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return new ClickHouseSinkWriter<>(connection, table, settings, context.getProcessingTimeService(), context.metricGroup());
    }
}
