package io.phantomdb.sql.frontend;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import org.apache.calcite.runtime.CalciteContextException;

/**
 * Maps Calcite's validation messages to PostgreSQL SQLSTATEs. Calcite reports these as text, so the mapping
 * is by message shape (the resource names in Calcite's {@code CalciteResource}); anything unrecognised is
 * 42000 with Calcite's message, never an internal error.
 */
final class ValidationErrors {
    private ValidationErrors() {}

    static PhantomSqlException translate(CalciteContextException e, String sqlText) {
        String message = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getMessage();
        int position = SqlFrontEnd.offsetOf(sqlText, e.getPosLine(), e.getPosColumn());
        return new PhantomSqlException(stateOf(message), message, position, e);
    }

    static PhantomSqlException translateOther(RuntimeException e) {
        if (e instanceof PhantomSqlException p) {
            return p;
        }
        String message = String.valueOf(e.getMessage());
        return new PhantomSqlException(stateOf(message), message, 0, e);
    }

    static SqlState stateOf(String message) {
        if (message == null) {
            return SqlState.SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION;
        }
        if (message.startsWith("Object '") && message.contains("not found")) {
            return SqlState.UNDEFINED_TABLE;
        }
        if (message.startsWith("Table '") && message.contains("not found")) {
            return SqlState.UNDEFINED_TABLE;
        }
        if (message.startsWith("Column '") && message.contains("not found")) {
            return SqlState.UNDEFINED_COLUMN;
        }
        if (message.startsWith("Unknown target column")) {
            return SqlState.UNDEFINED_COLUMN;
        }
        if (message.contains("does not allow NULLs")) {
            return SqlState.NOT_NULL_VIOLATION;
        }
        if (message.contains("ambiguous")) {
            return SqlState.AMBIGUOUS_COLUMN;
        }
        if (message.startsWith("No match found for function signature") || message.startsWith("Cannot apply")) {
            return SqlState.UNDEFINED_FUNCTION;
        }
        if (message.contains("is not being grouped") || message.contains("Aggregate expression is illegal")) {
            return SqlState.GROUPING_ERROR;
        }
        if (message.startsWith("Cannot assign to target field") || message.contains("Type mismatch")) {
            return SqlState.DATATYPE_MISMATCH;
        }
        if (message.contains("Duplicate column")) {
            return SqlState.DUPLICATE_COLUMN;
        }
        return SqlState.SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION;
    }
}
