package io.phantomdb.sql.expr;

import io.phantomdb.catalog.DataType;
import io.phantomdb.exec.Scalar;
import java.time.Clock;
import java.util.Objects;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;

/**
 * Compiles Calcite row expressions ({@link RexNode}s, as SqlToRelConverter and the standard rules produce
 * them) into run-time {@link Scalar}s with PostgreSQL 15 semantics.
 *
 * <pre>
 *   RexNode ──compile (once per plan)──▶ tree of small Scalar lambdas ──eval (per row)──▶ value
 *             type dispatch, literal and              no reflection, no code generation,
 *             pattern/Sarg preparation                no per-row type dispatch
 * </pre>
 *
 * <p>Contract: every compiled node returns null (SQL NULL / UNKNOWN) or exactly
 * {@code dataTypeOf(node.getType()).javaClass()}, even where Calcite leaves operands of different numeric
 * classes uncast (INTEGER = BIGINT, INTEGER + DOUBLE): comparisons promote to a common class, arithmetic runs
 * in the widest of operand and result types and converts at the end. Operators the compiler does not know
 * fail here, with 0A000, never while rows flow. Errors while evaluating (overflow 22003, division by zero
 * 22012, bad text 22P02) are {@link io.phantomdb.error.PhantomSqlException}s.
 *
 * <p>Thread safety: a RexCompiler may be shared; compiled Scalars are immutable and may run concurrently.
 * Lifetime: a Scalar belongs to its plan and is reused across executions; parameters ({@code ?n}) and
 * correlation variables ({@code $corN.field}) are read from the {@link io.phantomdb.exec.Bindings} of each
 * execution.
 */
public final class RexCompiler {
    private final RexBuilder rexBuilder;
    private final Clock clock;

    public RexCompiler(RexBuilder rexBuilder) {
        this(rexBuilder, Clock.systemDefaultZone());
    }

    /** With the clock CURRENT_DATE / CURRENT_TIMESTAMP read (tests pass a fixed one). */
    public RexCompiler(RexBuilder rexBuilder, Clock clock) {
        this.rexBuilder = Objects.requireNonNull(rexBuilder, "rexBuilder");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Compiles {@code node}, whose input references index rows of {@code inputRowType}.
     *
     * @throws io.phantomdb.error.PhantomSqlException 0A000 if the expression uses an unsupported operator or type
     */
    public Scalar compile(RexNode node, RelDataType inputRowType) {
        return new Compilation(rexBuilder, clock, inputRowType).compile(node);
    }

    /**
     * The run-time type of a Calcite type: CHAR/VARCHAR → VARCHAR, FLOAT/DOUBLE → DOUBLE, REAL → REAL,
     * TINYINT/SMALLINT → SMALLINT, BINARY/VARBINARY → BYTEA, the NULL type → VARCHAR (its values are always
     * null; PostgreSQL resolves unknown to text). Anything else (TIME, INTERVAL, ARRAY, ...) is 0A000.
     */
    public static DataType dataTypeOf(RelDataType type) {
        return ValueType.dataTypeOf(type);
    }

    /** The value of {@code literal} as {@code type}'s class (converted with CAST rules if its own type differs). */
    public static Object toJavaValue(RexLiteral literal, DataType type) {
        return Literals.toJavaValue(literal, type);
    }

    /**
     * Assignment conversion of a value of any SQL run-time class (also Byte, BigInteger, Character) into
     * {@code type}'s class, as when writing a column or binding a parameter: numbers convert with range checks
     * (22003; double to integer rounds half to even, numeric half away from zero), text is parsed (22P02), anything
     * is printed as text when the target is VARCHAR. Conversions PostgreSQL does not have (DATE to INTEGER) are
     * 42804. Null stays null; a value already of the right class is returned as is.
     */
    public static Object coerce(Object value, DataType type) {
        return Casts.coerce(value, type);
    }
}
