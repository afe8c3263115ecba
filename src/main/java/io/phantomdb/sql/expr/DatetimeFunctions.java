package io.phantomdb.sql.expr;

import io.phantomdb.catalog.DataType;
import io.phantomdb.exec.Scalar;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;

/**
 * CURRENT_DATE, CURRENT_TIMESTAMP and LOCALTIMESTAMP from the compiler's clock, with microseconds (PostgreSQL's
 * precision; Calcite types them TIMESTAMP(0), but PostgreSQL's {@code now()} has six fraction digits) unless
 * a precision is given, as in {@code CURRENT_TIMESTAMP(3)}.
 *
 * <p>Gap: PostgreSQL fixes these at the start of the transaction; here the clock is read on each evaluation,
 * because {@link io.phantomdb.exec.Bindings} carries no statement time yet.
 */
final class DatetimeFunctions {
    private DatetimeFunctions() {}

    /** The compiled call, or null if it is not a datetime function. */
    static Scalar compile(Compilation c, RexCall call) {
        Clock clock = c.clock();
        switch (call.getOperator().getName()) {
            case "CURRENT_DATE":
                return CallCompiler.finish(c, call, (row, bindings) -> LocalDate.now(clock), DataType.DATE);
            case "CURRENT_TIMESTAMP":
            case "LOCALTIMESTAMP":
                int precision = call.getOperands().isEmpty() ? PhantomTypeSystem.TIMESTAMP_PRECISION
                        : ((RexLiteral) call.getOperands().get(0)).getValueAs(Integer.class);
                return CallCompiler.finish(c, call,
                        (row, bindings) -> Timestamps.roundToPrecision(LocalDateTime.now(clock), precision), DataType.TIMESTAMP);
            default:
                return null;
        }
    }
}
