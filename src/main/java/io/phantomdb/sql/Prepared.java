package io.phantomdb.sql;

import io.phantomdb.catalog.DataType;
import io.phantomdb.catalog.TableDef;
import io.phantomdb.sql.ddl.DdlStatement;
import io.phantomdb.sql.plan.PlanNode;
import java.util.List;
import java.util.Set;

/**
 * A compiled statement, cached by its text (the plan cache) and valid while the catalog is at {@code
 * catalogVersion}. Immutable and shared: executions supply parameters, timestamps and budgets.
 */
public record Prepared(String sql, long catalogVersion, Kind kind, List<ResultColumn> columns,
        List<DataType> parameterTypes, Parameters parameters, PlanNode plan, Dml dml, DdlStatement ddl,
        Set<String> tablesRead) {

    /**
     * {@code tablesRead}: the stored tables whose rows the statement reads (views expanded to the tables under
     * them; for UPDATE/DELETE the target only when its WHERE or SET reads it) - each needs SELECT (docs/security.md).
     */
    public Prepared {
        tablesRead = tablesRead == null ? Set.of() : Set.copyOf(tablesRead);
    }

    /** A statement that reads no stored table (DDL). */
    public Prepared(String sql, long catalogVersion, Kind kind, List<ResultColumn> columns, List<DataType> parameterTypes,
            Parameters parameters, PlanNode plan, Dml dml, DdlStatement ddl) {
        this(sql, catalogVersion, kind, columns, parameterTypes, parameters, plan, dml, ddl, Set.of());
    }

    public enum Kind { QUERY, EXPLAIN, DML, DDL }

    /** A result column: its name and type. */
    public record ResultColumn(String name, DataType type, boolean nullable) {}

    /**
     * An INSERT, UPDATE or DELETE of {@code table}. The input produces: for INSERT the new rows; for DELETE the
     * old rows; for UPDATE the old row followed by the new values of {@code updateColumns}, in that order.
     */
    public record Dml(TableDef table, Operation operation, PlanNode input, int[] updateColumns) {}

    public enum Operation { INSERT, UPDATE, DELETE }

    /** EXPLAIN text of a query or DML plan. */
    public String explain() {
        StringBuilder out = new StringBuilder();
        if (dml != null) {
            out.append(dml.operation()).append(" on ").append(dml.table().name()).append('\n');
            dml.input().explain(out, 1);
        } else if (plan != null) {
            plan.explain(out, 0);
        }
        return out.toString();
    }
}
