package dev.omnistock.clickhouse.sink;

import java.io.Serializable;

/**
 * What identifies a row in a ReplacingMergeTree table (its sorting key): rows of equal identity
 * replace each other. Given one, the sink writes only the last of such rows in each batch.
 */
@FunctionalInterface
public interface RowIdentity<T> extends Serializable {
    Object of(T row);
}
