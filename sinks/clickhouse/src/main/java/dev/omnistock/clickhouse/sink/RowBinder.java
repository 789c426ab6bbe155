package dev.omnistock.clickhouse.sink;

import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Sets one row's values on an INSERT's parameters, in the order of the table's columns. */
@FunctionalInterface
public interface RowBinder<T> extends Serializable {
    void bind(T row, PreparedStatement insert) throws SQLException;
}
