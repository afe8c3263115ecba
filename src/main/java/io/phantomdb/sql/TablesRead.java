package io.phantomdb.sql;

import io.phantomdb.catalog.TableDef;
import io.phantomdb.sql.frontend.CalciteTables;
import java.util.HashSet;
import java.util.Set;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.TableModify;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDelete;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlUpdate;

/**
 * The stored tables a statement reads, found once at compile time in its logical plan (before optimization):
 * every table scan, including those in sub-queries and in the queries of the views it uses (a view is
 * expanded into its query when converted). The privilege check needs SELECT on each (docs/security.md).
 */
final class TablesRead {
    /** Sub-queries nest; a plan deeper than this is refused by Calcite long before. */
    private static final int DEPTH_MAX = 1_000;

    private TablesRead() {}

    /** The tables a query reads. */
    static Set<String> of(RelNode rel) {
        Set<String> out = new HashSet<>();
        collect(rel, out, 0);
        return out;
    }

    /**
     * The tables an INSERT, UPDATE or DELETE reads. As in PostgreSQL, the target itself is read only when the
     * WHERE clause or a SET expression refers to its columns: {@code DELETE FROM t} needs DELETE alone,
     * {@code DELETE FROM t WHERE id = 1} needs SELECT too.
     */
    static Set<String> ofDml(SqlNode statement, TableModify modify) {
        Set<String> out = new HashSet<>();
        collect(modify.getInput(), out, 0);
        TableDef target = CalciteTables.tableDef(modify.getTable());
        if (target != null && modify.getOperation() != TableModify.Operation.INSERT && !readsTarget(statement)) {
            // The target's own scan feeds the rows to change; a sub-query reading it would make readsTarget true.
            out.remove(target.name());
        }
        return out;
    }

    private static boolean readsTarget(SqlNode statement) {
        if (statement instanceof SqlUpdate update) {
            return update.getCondition() != null || refersToColumns(update.getSourceExpressionList());
        }
        if (statement instanceof SqlDelete delete) {
            return delete.getCondition() != null;
        }
        return true; // unknown form: demand SELECT rather than miss a read
    }

    /** True when a column name appears outside sub-queries (a sub-query's own tables are collected anyway). */
    private static boolean refersToColumns(SqlNode node) {
        if (node == null) {
            return false;
        }
        if (node instanceof SqlIdentifier) {
            return true;
        }
        if (node instanceof SqlNodeList list) {
            for (SqlNode n : list) {
                if (refersToColumns(n)) {
                    return true;
                }
            }
            return false;
        }
        if (node instanceof SqlCall call && !call.getKind().belongsTo(SqlKind.QUERY)) {
            for (SqlNode operand : call.getOperandList()) {
                if (refersToColumns(operand)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void collect(RelNode rel, Set<String> out, int depth) {
        if (depth > DEPTH_MAX) {
            throw new IllegalStateException("plan nested deeper than " + DEPTH_MAX);
        }
        if (rel instanceof TableScan scan) {
            TableDef table = CalciteTables.tableDef(scan.getTable());
            if (table != null) {
                out.add(table.name());
            }
        }
        rel.accept(new RexShuttle() {
            @Override
            public RexNode visitSubQuery(RexSubQuery subQuery) {
                collect(subQuery.rel, out, depth + 1);
                return super.visitSubQuery(subQuery);
            }
        });
        for (RelNode input : rel.getInputs()) {
            collect(input, out, depth + 1);
        }
    }
}
