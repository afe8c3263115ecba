package io.phantomdb.sql.frontend;

import io.phantomdb.catalog.CatalogSnapshot;
import io.phantomdb.catalog.ColumnDef;
import io.phantomdb.catalog.DataType;
import io.phantomdb.catalog.IndexDef;
import io.phantomdb.catalog.TableDef;
import io.phantomdb.catalog.TableStats;
import io.phantomdb.catalog.ViewDef;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.Statistic;
import org.apache.calcite.schema.Statistics;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.ColumnStrategy;
import org.apache.calcite.schema.Wrapper;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql2rel.InitializerContext;
import org.apache.calcite.sql2rel.InitializerExpressionFactory;
import org.apache.calcite.sql2rel.NullInitializerExpressionFactory;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * Presents a {@link CatalogSnapshot} to Calcite: one {@link PhantomTable} per table and one
 * {@link PhantomView} per view, in a root schema whose names are exact (the parser already folded them).
 */
public final class CalciteTables {
    private CalciteTables() {}

    /** A fresh Calcite root schema over the snapshot; row counts come from {@code rowCounts}. */
    public static CalciteSchema schema(CatalogSnapshot catalog, RowCountEstimator rowCounts) {
        CalciteSchema root = CalciteSchema.createRootSchema(false, false);
        for (TableDef table : catalog.tables().values()) {
            root.add(table.name(), new PhantomTable(table, rowCounts));
        }
        for (ViewDef view : catalog.views().values()) {
            root.add(view.name(), new PhantomView(view));
        }
        return root;
    }

    /**
     * Estimated rows of a table, for the cost model (join order, index choice), and what ANALYZE learned about
     * it (docs/decisions.md D19). Asked at planning time, so a cached schema sees the current numbers.
     */
    @FunctionalInterface
    public interface RowCountEstimator {
        double estimate(TableDef table);

        /** The table's analyzed statistics, or null when it has none (the planner then uses defaults). */
        default TableStats analyzed(TableDef table) {
            return null;
        }
    }

    /** The stored table behind a Calcite table reference, or null when it is not one (a view). */
    public static PhantomTable phantomTable(RelOptTable table) {
        return table.unwrap(PhantomTable.class);
    }

    /** The stored table behind a Calcite table reference, or null when it is not one (a view). */
    public static TableDef tableDef(RelOptTable table) {
        PhantomTable stored = table.unwrap(PhantomTable.class);
        return stored == null ? null : stored.definition();
    }

    /** The SQL type of a column. */
    public static RelDataType type(RelDataTypeFactory factory, DataType type, int precision, int scale, boolean nullable) {
        RelDataType t;
        switch (type) {
            case SMALLINT: t = factory.createSqlType(SqlTypeName.SMALLINT); break;
            case INTEGER: t = factory.createSqlType(SqlTypeName.INTEGER); break;
            case BIGINT: t = factory.createSqlType(SqlTypeName.BIGINT); break;
            case DECIMAL:
                t = precision > 0
                        ? factory.createSqlType(SqlTypeName.DECIMAL, precision, Math.max(scale, 0))
                        : factory.createSqlType(SqlTypeName.DECIMAL, factory.getTypeSystem().getMaxNumericPrecision(),
                                factory.getTypeSystem().getMaxNumericScale() / 2);
                break;
            case REAL: t = factory.createSqlType(SqlTypeName.REAL); break;
            case DOUBLE: t = factory.createSqlType(SqlTypeName.DOUBLE); break;
            case VARCHAR:
                t = precision > 0 ? factory.createSqlType(SqlTypeName.VARCHAR, precision)
                        : factory.createSqlType(SqlTypeName.VARCHAR);
                break;
            case BOOLEAN: t = factory.createSqlType(SqlTypeName.BOOLEAN); break;
            case DATE: t = factory.createSqlType(SqlTypeName.DATE); break;
            case TIMESTAMP: t = factory.createSqlType(SqlTypeName.TIMESTAMP, 6); break;
            case BYTEA: t = factory.createSqlType(SqlTypeName.VARBINARY); break;
            default: throw new IllegalArgumentException("no SQL type for " + type);
        }
        return factory.createTypeWithNullability(t, nullable);
    }

    /** A stored table as Calcite sees it: row type, row count and unique keys for the cost model. */
    public static final class PhantomTable extends AbstractTable implements Wrapper {
        private final TableDef table;
        private final RowCountEstimator statistics;

        PhantomTable(TableDef table, RowCountEstimator statistics) {
            this.table = table;
            this.statistics = statistics;
        }

        public TableDef definition() {
            return table;
        }

        /** Estimated rows now (row counts change between statements). */
        public double rowCount() {
            return statistics.estimate(table);
        }

        /** Analyzed statistics now, or null. */
        public TableStats analyzed() {
            return statistics.analyzed(table);
        }

        @Override
        public RelDataType getRowType(RelDataTypeFactory factory) {
            RelDataTypeFactory.Builder builder = factory.builder();
            for (ColumnDef c : table.columns()) {
                builder.add(c.name(), type(factory, c.type(), c.precision(), c.scale(), c.nullable()));
            }
            return builder.build();
        }

        /** Calcite asks for the initializer (column DEFAULTs) by unwrapping the table. */
        @Override
        public <C> C unwrap(Class<C> type) {
            if (type == InitializerExpressionFactory.class) {
                return type.cast(new Defaults(table));
            }
            return type.isInstance(this) ? type.cast(this) : null;
        }

        @Override
        public Statistic getStatistic() {
            List<ImmutableBitSet> keys = new ArrayList<>();
            if (table.hasPrimaryKey()) {
                keys.add(ImmutableBitSet.of(table.primaryKey()));
            }
            for (IndexDef index : table.indexes()) {
                if (index.unique()) {
                    keys.add(ImmutableBitSet.of(index.columns()));
                }
            }
            return Statistics.of(rowCount(), keys, List.of());
        }
    }

    /**
     * Column DEFAULTs: a column with a DEFAULT gets its expression (parsed, validated against the column's
     * type and converted by Calcite, then evaluated per row like any expression) when an INSERT omits it.
     */
    static final class Defaults extends NullInitializerExpressionFactory {
        private final TableDef table;

        Defaults(TableDef table) {
            this.table = table;
        }

        @Override
        public ColumnStrategy generationStrategy(RelOptTable relTable, int column) {
            if (table.columns().get(column).defaultSql() != null) {
                return ColumnStrategy.DEFAULT;
            }
            return super.generationStrategy(relTable, column);
        }

        @Override
        public RexNode newColumnDefaultValue(RelOptTable relTable, int column, InitializerContext context) {
            String sql = table.columns().get(column).defaultSql();
            if (sql == null) {
                return super.newColumnDefaultValue(relTable, column, context);
            }
            RelDataType type = relTable.getRowType().getFieldList().get(column).getType();
            SqlNode parsed = context.parseExpression(SqlFrontEnd.PARSER_CONFIG, sql);
            SqlNode validated = context.validateExpression(relTable.getRowType(), parsed);
            RexNode value = context.convertExpression(validated);
            return context.getRexBuilder().makeCast(type, value, true, false);
        }
    }

    /** A view: expanded into its query when a statement uses it; its declared row type is enforced. */
    public static final class PhantomView extends AbstractTable implements TranslatableTable {
        private final ViewDef view;

        PhantomView(ViewDef view) {
            this.view = view;
        }

        public ViewDef definition() {
            return view;
        }

        @Override
        public RelDataType getRowType(RelDataTypeFactory factory) {
            RelDataTypeFactory.Builder builder = factory.builder();
            for (ColumnDef c : view.columns()) {
                builder.add(c.name(), type(factory, c.type(), c.precision(), c.scale(), c.nullable()));
            }
            return builder.build();
        }

        @Override
        public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable relOptTable) {
            RelNode expanded = context.expandView(relOptTable.getRowType(), view.querySql(), List.of(), List.of(view.name())).rel;
            return RelOptUtil.createCastRel(expanded, relOptTable.getRowType(), true);
        }
    }

}
