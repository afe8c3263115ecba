package io.phantomdb.sql.expr;

import java.math.RoundingMode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;

/**
 * Phantom-DB's Calcite type system: the result types of aggregates and decimal division follow PostgreSQL 15,
 * so that a query's declared column types match what a PostgreSQL client expects and what the
 * {@link RexCompiler} computes.
 *
 * <pre>
 *   SUM(SMALLINT | INTEGER)  -> BIGINT                 (PostgreSQL: int2/int4 sum is int8)
 *   SUM(BIGINT)              -> DECIMAL(1000, 0)       (PostgreSQL: int8 sum is numeric)
 *   SUM(DECIMAL(p, s))       -> DECIMAL(1000, s)
 *   SUM(REAL | DOUBLE)       -> DOUBLE
 *   AVG(exact numeric)       -> DECIMAL(1000, max(16, s))
 *   AVG(REAL | DOUBLE)       -> DOUBLE
 *   COUNT                    -> BIGINT                 (Calcite's default)
 *   INTEGER / INTEGER        -> INTEGER (truncating)   (Calcite's default)
 *   DECIMAL / exact          -> DECIMAL(.., max(16, s1, s2))
 * </pre>
 *
 * <p>Scale 16 is PostgreSQL's {@code NUMERIC_MIN_SIG_DIGITS}: numeric division and {@code avg} give at least
 * 16 significant fraction digits there. PostgreSQL picks the scale per value (16 to 20 digits for quotients
 * near 1); a type needs one fixed scale, so ours is exactly 16 unless an operand has more.
 *
 * <p>Limits: DECIMAL precision and scale at most {@value #NUMERIC_PRECISION_MAX} (PostgreSQL's limit for a
 * declared {@code numeric(p, s)}); run-time values are {@code BigDecimal}, so the bound costs nothing until
 * used. Plain {@code NUMERIC}/{@code DECIMAL} without precision reaches us as DECIMAL(1000, 0), because
 * Calcite always fills in the default precision and scale; PostgreSQL's plain numeric is unconstrained (keeps
 * each value's scale), so exactly that type is read as "unconstrained" ({@link #isUnconstrainedDecimal}).
 *
 * <p>TIMESTAMP carries microseconds ({@value #TIMESTAMP_PRECISION} fraction digits) by default, as in
 * PostgreSQL. The least restrictive type of CHAR(1) and CHAR(3) is VARCHAR(3): PostgreSQL types string
 * literals as text, so {@code CASE WHEN .. THEN 'a' ELSE 'bcd' END} must not pad 'a' with blanks.
 * Casts to DECIMAL round half away from zero ({@link RoundingMode#HALF_UP}), as PostgreSQL's numeric does,
 * so constants Calcite folds agree with what the compiler computes at run time.
 */
public final class PhantomTypeSystem extends RelDataTypeSystemImpl {
    /** PostgreSQL's maximum declared precision of {@code numeric(p, s)}. */
    public static final int NUMERIC_PRECISION_MAX = 1000;
    /** Largest scale of a DECIMAL; PostgreSQL allows up to 1000 as well. */
    public static final int NUMERIC_SCALE_MAX = 1000;
    /** Fraction digits of AVG over exact types and of decimal division (PostgreSQL's NUMERIC_MIN_SIG_DIGITS). */
    public static final int DIVISION_SCALE_MIN = 16;
    /** Fraction digits of TIMESTAMP: microseconds, as PostgreSQL. */
    public static final int TIMESTAMP_PRECISION = 6;

    public static final PhantomTypeSystem INSTANCE = new PhantomTypeSystem();

    private PhantomTypeSystem() {}

    /**
     * Whether {@code type} is plain NUMERIC (no precision or scale written): values of it keep their own scale
     * and are neither rounded nor range-checked when cast or stored.
     */
    public static boolean isUnconstrainedDecimal(RelDataType type) {
        return type.getSqlTypeName() == SqlTypeName.DECIMAL && isUnconstrainedDecimal(type.getPrecision(), type.getScale());
    }

    static boolean isUnconstrainedDecimal(int precision, int scale) {
        return precision == NUMERIC_PRECISION_MAX && scale == 0;
    }

    @Override
    public int getDefaultPrecision(SqlTypeName typeName) {
        if (typeName == SqlTypeName.DECIMAL) {
            return NUMERIC_PRECISION_MAX; // the marker of plain NUMERIC, see isUnconstrainedDecimal
        }
        if (typeName == SqlTypeName.TIMESTAMP || typeName == SqlTypeName.TIME) {
            return TIMESTAMP_PRECISION;
        }
        return super.getDefaultPrecision(typeName);
    }

    @Override
    public int getMaxPrecision(SqlTypeName typeName) {
        switch (typeName) {
            case DECIMAL:
                return NUMERIC_PRECISION_MAX;
            case TIME:
            case TIMESTAMP:
                return TIMESTAMP_PRECISION;
            default:
                return super.getMaxPrecision(typeName);
        }
    }

    @Override
    public int getMaxScale(SqlTypeName typeName) {
        return typeName == SqlTypeName.DECIMAL ? NUMERIC_SCALE_MAX : super.getMaxScale(typeName);
    }

    @Override
    public RoundingMode roundingMode() {
        return RoundingMode.HALF_UP;
    }

    @Override
    public boolean shouldConvertRaggedUnionTypesToVarying() {
        return true;
    }

    @Override
    public RelDataType deriveSumType(RelDataTypeFactory typeFactory, RelDataType argumentType) {
        RelDataType sum;
        switch (argumentType.getSqlTypeName()) {
            case TINYINT:
            case SMALLINT:
            case INTEGER:
                sum = typeFactory.createSqlType(SqlTypeName.BIGINT);
                break;
            case BIGINT:
                sum = typeFactory.createSqlType(SqlTypeName.DECIMAL, NUMERIC_PRECISION_MAX, 0);
                break;
            case DECIMAL:
                sum = typeFactory.createSqlType(SqlTypeName.DECIMAL, NUMERIC_PRECISION_MAX, argumentType.getScale());
                break;
            case REAL:
            case FLOAT:
            case DOUBLE:
                sum = typeFactory.createSqlType(SqlTypeName.DOUBLE);
                break;
            default:
                return super.deriveSumType(typeFactory, argumentType);
        }
        return typeFactory.createTypeWithNullability(sum, argumentType.isNullable());
    }

    @Override
    public RelDataType deriveAvgAggType(RelDataTypeFactory typeFactory, RelDataType argumentType) {
        RelDataType avg;
        if (SqlTypeUtil.isExactNumeric(argumentType)) {
            int scale = Math.max(DIVISION_SCALE_MIN, Math.max(argumentType.getScale(), 0));
            avg = typeFactory.createSqlType(SqlTypeName.DECIMAL, NUMERIC_PRECISION_MAX, Math.min(scale, NUMERIC_SCALE_MAX));
        } else if (SqlTypeUtil.isApproximateNumeric(argumentType)) {
            avg = typeFactory.createSqlType(SqlTypeName.DOUBLE);
        } else {
            return super.deriveAvgAggType(typeFactory, argumentType);
        }
        return typeFactory.createTypeWithNullability(avg, argumentType.isNullable());
    }

    /**
     * PostgreSQL-like decimal division: at least {@value #DIVISION_SCALE_MIN} fraction digits (Calcite's default
     * is 6, and 0 once the dividend uses the full precision, which would make AVG = SUM / COUNT an integer).
     */
    @Override
    public RelDataType deriveDecimalDivideType(RelDataTypeFactory typeFactory, RelDataType type1, RelDataType type2) {
        if (!SqlTypeUtil.isExactNumeric(type1) || !SqlTypeUtil.isExactNumeric(type2)
                || !(SqlTypeUtil.isDecimal(type1) || SqlTypeUtil.isDecimal(type2))) {
            return null;
        }
        RelDataType dividend = SqlTypeUtil.isDecimal(type1) ? type1 : typeFactory.decimalOf(type1);
        RelDataType divisor = SqlTypeUtil.isDecimal(type2) ? type2 : typeFactory.decimalOf(type2);
        int scale = Math.max(DIVISION_SCALE_MIN, Math.max(dividend.getScale(), divisor.getScale()));
        scale = Math.min(scale, NUMERIC_SCALE_MAX);
        // Whole digits of the quotient: a divisor with s2 fraction digits can multiply the dividend by 10^s2.
        int wholeDigits = dividend.getPrecision() - dividend.getScale() + divisor.getScale();
        int precision = Math.min(NUMERIC_PRECISION_MAX, Math.max(1, wholeDigits + scale));
        return typeFactory.createSqlType(SqlTypeName.DECIMAL, precision, Math.min(scale, precision));
    }
}
