package io.phantomdb.client;

import io.phantomdb.Column;
import io.phantomdb.Row;
import io.phantomdb.error.PhantomSqlException;
import java.util.List;

/** One line of a {@code POST /v1/sql} response, decoded (docs/http.md "Response"). */
sealed interface Frame {
    record Columns(List<Column> columns) implements Frame {}

    record RowFrame(Row row) implements Frame {}

    record Complete(String tag, long rows) implements Frame {}

    record Error(PhantomSqlException error) implements Frame {}
}
