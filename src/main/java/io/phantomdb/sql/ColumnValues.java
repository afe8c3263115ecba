package io.phantomdb.sql;

import io.phantomdb.catalog.ColumnDef;
import io.phantomdb.catalog.DataType;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.sql.expr.RexCompiler;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Assignment of a value to a column (INSERT, UPDATE), with PostgreSQL's rules: the value is converted to the
 * column's type; text longer than VARCHAR(n) fails with 22001; a DECIMAL(p, s) value is rounded to scale s
 * and fails with 22003 when it needs more than p digits.
 */
final class ColumnValues {
    private ColumnValues() {}

    static Object assign(Object value, ColumnDef column) {
        if (value == null) {
            return null;
        }
        Object v = RexCompiler.coerce(value, column.type());
        if (column.type() == DataType.VARCHAR && column.precision() > 0) {
            String s = (String) v;
            if (s.codePointCount(0, s.length()) > column.precision()) {
                throw new PhantomSqlException(SqlState.STRING_DATA_RIGHT_TRUNCATION, "value too long for type character varying("
                        + column.precision() + ")");
            }
        }
        if (column.type() == DataType.DECIMAL && column.precision() > 0) {
            BigDecimal d = ((BigDecimal) v).setScale(Math.max(column.scale(), 0), RoundingMode.HALF_UP);
            if (d.precision() - d.scale() > column.precision() - Math.max(column.scale(), 0)) {
                throw new PhantomSqlException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "numeric field overflow: a field with precision "
                        + column.precision() + ", scale " + Math.max(column.scale(), 0) + " must round to an absolute value less than 10^"
                        + (column.precision() - Math.max(column.scale(), 0)));
            }
            v = d;
        }
        return v;
    }
}
