package dev.omnistock.clickhouse.sink;

import dev.omnistock.clickhouse.ClickHouseConnection;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.util.InstantiationUtil;

/**
 * A Flink sink writing rows into one ClickHouse table through the JDBC driver, in batches by size and
 * time, retrying with a jittered backoff from timers while ClickHouse is slow or down (the job is
 * backpressured once a few batches wait, nothing is dropped, the task thread never sleeps). A checkpoint
 * keeps the rows not yet written in the writer's state, so a restart writes them and replays only rows
 * after it: at-least-once delivery. Tables whose rows carry a deterministic identity and version
 * (ReplacingMergeTree) turn that into effectively-once totals.
 */
public final class ClickHouseSink<T extends Serializable> implements Sink<T>, SupportsWriterState<T, List<T>> {

    private final ClickHouseConnection connection;
    private final ClickHouseTable<T> table;
    private final SinkSettings settings;

    public ClickHouseSink(ClickHouseConnection connection, ClickHouseTable<T> table, SinkSettings settings) {
        this.connection = connection;
        this.table = table;
        this.settings = settings;
    }

    @Override
    public StatefulSinkWriter<T, List<T>> createWriter(WriterInitContext context) {
        return new ClickHouseSinkWriter<>(connection, table, settings, context, List.of());
    }

    @Override
    public StatefulSinkWriter<T, List<T>> restoreWriter(WriterInitContext context, Collection<List<T>> recovered) {
        return new ClickHouseSinkWriter<>(connection, table, settings, context, recovered);
    }

    /** Rows not yet written when a checkpoint was taken, in Java serialization (rows are small records). */
    @Override
    public SimpleVersionedSerializer<List<T>> getWriterStateSerializer() {
        return new SimpleVersionedSerializer<>() {
            @Override
            public int getVersion() {
                return 1;
            }

            @Override
            public byte[] serialize(List<T> rows) throws IOException {
                return InstantiationUtil.serializeObject(new ArrayList<>(rows));
            }

            @Override
            public List<T> deserialize(int version, byte[] serialized) throws IOException {
                try {
                    return InstantiationUtil.deserializeObject(serialized, Thread.currentThread().getContextClassLoader());
                } catch (ClassNotFoundException e) {
                    throw new IOException("A checkpoint holds rows of a class this job no longer has", e);
                }
            }
        };
    }
}
