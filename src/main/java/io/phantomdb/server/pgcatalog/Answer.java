package io.phantomdb.server.pgcatalog;

import io.phantomdb.Column;
import io.phantomdb.catalog.DataType;
import java.util.ArrayList;
import java.util.List;

/** A claimed statement: fixed columns and parameter types, and the function computing its result. */
record Answer(List<Column> columns, List<DataType> parameterTypes, Runner runner) implements CatalogQuery {
    /** Computes one execution's result. */
    interface Runner {
        CatalogResult run(Object[] parameters, PgSessionSettings settings);
    }

    /** Computes the rows of a query (tag "SELECT n"). */
    interface Rows {
        List<Object[]> rows(Object[] parameters, PgSessionSettings settings);
    }

    Answer {
        columns = List.copyOf(columns);
        parameterTypes = List.copyOf(parameterTypes);
    }

    static Answer select(List<Column> columns, List<DataType> parameterTypes, Rows rows) {
        return new Answer(columns, parameterTypes, (p, s) -> CatalogResult.select(checked(columns, rows.rows(p, s))));
    }

    static Answer select(List<Column> columns, Rows rows) {
        return select(columns, List.of(), rows);
    }

    /** A query that returns no rows (policies, publications, inheritance: Phantom-DB has none). */
    static Answer empty(List<Column> columns) {
        return select(columns, (p, s) -> List.of());
    }

    @Override
    public CatalogResult run(Object[] parameters, PgSessionSettings settings) {
        if (parameters.length != parameterTypes.size()) {
            throw new IllegalArgumentException("expected " + parameterTypes.size() + " parameters, got " + parameters.length);
        }
        return runner.run(parameters, settings);
    }

    /** Asserts the invariant the wire codecs rely on: each value is exactly its column type's Java class. */
    private static List<Object[]> checked(List<Column> columns, List<Object[]> rows) {
        List<Object[]> out = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            if (row.length != columns.size()) {
                throw new IllegalStateException("row has " + row.length + " values for " + columns.size() + " columns");
            }
            for (int i = 0; i < row.length; i++) {
                if (row[i] != null && row[i].getClass() != columns.get(i).type().javaClass()) {
                    throw new IllegalStateException("column " + columns.get(i).name() + " holds a "
                            + row[i].getClass().getSimpleName() + ", not " + columns.get(i).type());
                }
            }
            out.add(row);
        }
        return out;
    }

    static Column text(String name) {
        return new Column(name, DataType.VARCHAR, true);
    }

    static Column int4(String name) {
        return new Column(name, DataType.INTEGER, true);
    }

    static Column int2(String name) {
        return new Column(name, DataType.SMALLINT, true);
    }

    static Column int8(String name) {
        return new Column(name, DataType.BIGINT, true);
    }

    static Column bool(String name) {
        return new Column(name, DataType.BOOLEAN, true);
    }

    static Column float4(String name) {
        return new Column(name, DataType.REAL, true);
    }

    /** Columns of text type named by {@code names}. */
    static List<Column> texts(String... names) {
        List<Column> out = new ArrayList<>();
        for (String name : names) {
            out.add(text(name));
        }
        return out;
    }
}
