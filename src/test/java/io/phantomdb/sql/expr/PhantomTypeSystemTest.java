package io.phantomdb.sql.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.junit.jupiter.api.Test;

/**
 * Goal: the types Calcite derives with Phantom-DB's type system are PostgreSQL's: SUM widens integers to
 * BIGINT and BIGINT to NUMERIC, AVG of exact types is NUMERIC with 16 fraction digits, INTEGER / INTEGER
 * stays INTEGER, decimal division keeps at least 16 fraction digits, CHAR literals of different lengths unify
 * to VARCHAR, TIMESTAMP has microseconds, and plain NUMERIC is recognisable.
 *
 * <p>Method: ask the type system (and RexBuilder, which uses it) directly.
 */
class PhantomTypeSystemTest {
    private final RexFixture f = new RexFixture();
    private final RelDataTypeSystem system = PhantomTypeSystem.INSTANCE;

    private RelDataType notNull(SqlTypeName name) {
        return f.types.createSqlType(name);
    }

    @Test
    void sumWidensLikePostgres() {
        assertEquals(SqlTypeName.BIGINT, system.deriveSumType(f.types, notNull(SqlTypeName.SMALLINT)).getSqlTypeName());
        assertEquals(SqlTypeName.BIGINT, system.deriveSumType(f.types, notNull(SqlTypeName.INTEGER)).getSqlTypeName());
        RelDataType sumBigint = system.deriveSumType(f.types, notNull(SqlTypeName.BIGINT));
        assertEquals(SqlTypeName.DECIMAL, sumBigint.getSqlTypeName());
        assertEquals(0, sumBigint.getScale());
        RelDataType sumDecimal = system.deriveSumType(f.types, f.types.createSqlType(SqlTypeName.DECIMAL, 10, 2));
        assertEquals(List.of(PhantomTypeSystem.NUMERIC_PRECISION_MAX, 2), List.of(sumDecimal.getPrecision(), sumDecimal.getScale()));
        assertEquals(SqlTypeName.DOUBLE, system.deriveSumType(f.types, notNull(SqlTypeName.REAL)).getSqlTypeName());
        assertEquals(SqlTypeName.DOUBLE, system.deriveSumType(f.types, notNull(SqlTypeName.DOUBLE)).getSqlTypeName());
        assertTrue(system.deriveSumType(f.types, f.type(SqlTypeName.INTEGER)).isNullable(), "keeps nullability");
        assertFalse(system.deriveSumType(f.types, notNull(SqlTypeName.INTEGER)).isNullable());
    }

    @Test
    void avgOfExactTypesIsNumericWithSixteenFractionDigits() {
        RelDataType avgInt = system.deriveAvgAggType(f.types, notNull(SqlTypeName.INTEGER));
        assertEquals(SqlTypeName.DECIMAL, avgInt.getSqlTypeName());
        assertEquals(16, avgInt.getScale());
        assertEquals(20, system.deriveAvgAggType(f.types, f.types.createSqlType(SqlTypeName.DECIMAL, 30, 20)).getScale());
        assertEquals(SqlTypeName.DOUBLE, system.deriveAvgAggType(f.types, notNull(SqlTypeName.REAL)).getSqlTypeName());
    }

    @Test
    void integerDivisionStaysIntegerAndDecimalDivisionKeepsSixteenDigits() {
        RexNode ints = f.call(SqlStdOperatorTable.DIVIDE, f.integer(7), f.integer(2));
        assertEquals(SqlTypeName.INTEGER, ints.getType().getSqlTypeName());
        RexNode decimals = f.call(SqlStdOperatorTable.DIVIDE, f.decimal("7.5"), f.integer(2));
        assertEquals(SqlTypeName.DECIMAL, decimals.getType().getSqlTypeName());
        assertEquals(16, decimals.getType().getScale());
        RelDataType wide = f.types.createSqlType(SqlTypeName.DECIMAL, PhantomTypeSystem.NUMERIC_PRECISION_MAX, 0);
        // SUM(BIGINT) / COUNT (AVG rewritten) must not lose its fraction digits to the precision cap.
        assertEquals(16, system.deriveDecimalDivideType(f.types, wide, notNull(SqlTypeName.BIGINT)).getScale());
    }

    @Test
    void limitsAndDefaults() {
        assertEquals(1000, system.getMaxPrecision(SqlTypeName.DECIMAL));
        assertEquals(1000, system.getMaxScale(SqlTypeName.DECIMAL));
        assertEquals(6, system.getDefaultPrecision(SqlTypeName.TIMESTAMP));
        assertTrue(PhantomTypeSystem.isUnconstrainedDecimal(notNull(SqlTypeName.DECIMAL)), "plain DECIMAL");
        assertFalse(PhantomTypeSystem.isUnconstrainedDecimal(f.types.createSqlType(SqlTypeName.DECIMAL, 10, 0)));
    }

    @Test
    void charTypesOfDifferentLengthsUnifyToVarchar() {
        RelDataType unified = f.types.leastRestrictive(List.of(f.types.createSqlType(SqlTypeName.CHAR, 1),
                f.types.createSqlType(SqlTypeName.CHAR, 3)));
        assertEquals(SqlTypeName.VARCHAR, unified.getSqlTypeName());
        assertEquals(3, unified.getPrecision());
    }
}
