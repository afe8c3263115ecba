package io.phantomdb.error;

/**
 * The one registry of error codes Phantom-DB reports: PostgreSQL SQLSTATEs (five characters; the first two
 * are the class). Every error a client can see carries one of these, so drivers and operators get stable,
 * documented codes (STYLE.md item 13, after H2's {@code ErrorCode}). Each constant says when it is raised
 * and what the user can do about it.
 *
 * <p>Codes are PostgreSQL's (Appendix A of its manual); never invent a code PostgreSQL gives another meaning.
 */
public enum SqlState {
    // ----- class 0A: feature not supported
    /** The statement is valid SQL but Phantom-DB does not implement it (yet). Rewrite it, or see docs/sql.md. */
    FEATURE_NOT_SUPPORTED("0A000"),

    // ----- class 21: cardinality violation
    /** A scalar subquery returned more than one row. Add a LIMIT or an aggregate, or use IN/EXISTS. */
    CARDINALITY_VIOLATION("21000"),

    // ----- class 22: data exception
    /** A value is outside the range of its type (integer overflow, numeric precision). Use a wider type. */
    NUMERIC_VALUE_OUT_OF_RANGE("22003"),
    /** Division (or modulo) by zero. Guard the divisor, e.g. with NULLIF(x, 0). */
    DIVISION_BY_ZERO("22012"),
    /** A text value could not be converted to the requested type (CAST('x' AS INTEGER)). */
    INVALID_TEXT_REPRESENTATION("22P02"),
    /** A binary-format parameter (pgwire Bind) does not have the layout of its type. */
    INVALID_BINARY_REPRESENTATION("22P03"),
    /** A string is longer than its column allows (VARCHAR(n)). */
    STRING_DATA_RIGHT_TRUNCATION("22001"),
    /** A date or timestamp value is malformed or out of range. */
    DATETIME_FIELD_OVERFLOW("22008"),
    /** A function got an argument it cannot accept (e.g. negative LIMIT, invalid escape). */
    INVALID_PARAMETER_VALUE("22023"),
    /** Generic data exception: a value is invalid for the operation. */
    DATA_EXCEPTION("22000"),

    // ----- class 23: integrity constraint violation
    /** A NULL was written into a NOT NULL column (primary key columns are NOT NULL). */
    NOT_NULL_VIOLATION("23502"),
    /** A write would duplicate a primary key or a UNIQUE index key. Nothing was written. */
    UNIQUE_VIOLATION("23505"),

    // ----- class 08: connection exception
    /** A distributed commit was decided but not acknowledged by every partition in time: it will be applied, but
     * the client cannot know when. Read the data to see it; do not retry blindly. */
    TRANSACTION_RESOLUTION_UNKNOWN("08007"),
    /** A client broke the PostgreSQL wire protocol (malformed or oversized message); the connection is closed. */
    PROTOCOL_VIOLATION("08P01"),

    // ----- class 28: invalid authorization specification
    /** The connection may not be opened as this role (e.g. a startup message without a user). */
    INVALID_AUTHORIZATION_SPECIFICATION("28000"),
    /** Password authentication failed: unknown role or wrong password (the message never says which). */
    INVALID_PASSWORD("28P01"),

    // ----- class 25: invalid transaction state
    /** The statement is not allowed in the current transaction state. */
    INVALID_TRANSACTION_STATE("25000"),
    /** A statement was sent in a transaction that already failed; only ROLLBACK (or COMMIT, which rolls back) is accepted. */
    IN_FAILED_SQL_TRANSACTION("25P02"),
    /** A write was attempted in a READ ONLY transaction. */
    READ_ONLY_SQL_TRANSACTION("25006"),
    /** BEGIN inside a transaction block, or a transaction-control statement where none is allowed. */
    ACTIVE_SQL_TRANSACTION("25001"),
    /** COMMIT/ROLLBACK/SAVEPOINT outside a transaction block. */
    NO_ACTIVE_SQL_TRANSACTION("25P01"),
    /** A session stayed idle inside a transaction block longer than phantom.pgwire.idle-in-transaction-timeout; it was closed. */
    IDLE_IN_TRANSACTION_SESSION_TIMEOUT("25P03"),

    // ----- class 3B: savepoint exception
    /** ROLLBACK TO or RELEASE of a savepoint that does not exist in this transaction. */
    INVALID_SAVEPOINT_SPECIFICATION("3B001"),

    // ----- class 26 / 34: invalid statement or cursor name (pgwire extended query)
    /** Bind or Describe named a prepared statement the connection does not have (Parse it first). */
    INVALID_SQL_STATEMENT_NAME("26000"),
    /** Execute or Describe named a portal the connection does not have (Bind it first). */
    INVALID_CURSOR_NAME("34000"),

    // ----- class 40: transaction rollback (retryable: run the whole transaction again)
    /** The transaction conflicted with a concurrent one (its snapshot is stale). Retry the transaction. */
    SERIALIZATION_FAILURE("40001"),
    /** The transaction was chosen as the victim of a lock cycle. Retry the transaction. */
    DEADLOCK_DETECTED("40P01"),

    // ----- class 34 / 42: names and syntax
    /** The SQL text does not parse; the error carries the 1-based character position. */
    SYNTAX_ERROR("42601"),
    /** A table, view or index named in the statement does not exist. */
    UNDEFINED_TABLE("42P01"),
    /** A column named in the statement does not exist in the tables in scope. */
    UNDEFINED_COLUMN("42703"),
    /** A function or operator does not exist for the argument types given. */
    UNDEFINED_FUNCTION("42883"),
    /** An index or other object named in the statement does not exist. */
    UNDEFINED_OBJECT("42704"),
    /** CREATE of a table or view whose name is taken (use IF NOT EXISTS). */
    DUPLICATE_TABLE("42P07"),
    /** CREATE of an index or other object whose name is taken. */
    DUPLICATE_OBJECT("42710"),
    /** Parse of a named prepared statement whose name the connection already uses (Close it first). */
    DUPLICATE_PREPARED_STATEMENT("42P05"),
    /** Bind of a named portal whose name the connection already uses (Close it first). */
    DUPLICATE_CURSOR("42P03"),
    /** A column name appears twice in one table definition or column list. */
    DUPLICATE_COLUMN("42701"),
    /** A name matches more than one column in scope; qualify it with its table. */
    AMBIGUOUS_COLUMN("42702"),
    /** Types do not match where they must (e.g. comparing text with integer without a cast). */
    DATATYPE_MISMATCH("42804"),
    /** A column is used outside GROUP BY or an aggregate where one is required. */
    GROUPING_ERROR("42803"),
    /** A definition is invalid (e.g. two primary keys, an index on an unknown column). */
    INVALID_OBJECT_DEFINITION("42P17"),
    /** A statement is semantically invalid in a way no narrower code describes. */
    SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION("42000"),
    /** DROP of an object others depend on (e.g. a table a view reads). */
    DEPENDENT_OBJECTS_STILL_EXIST("2BP01"),
    /** The referenced object is of the wrong kind (DROP VIEW on a table, INSERT into a view). */
    WRONG_OBJECT_TYPE("42809"),
    /** The role lacks the privilege the statement needs (GRANT it, or run as the object's owner; docs/security.md). */
    INSUFFICIENT_PRIVILEGE("42501"),
    /** The name is reserved (role names "public" and "pg_*"). */
    RESERVED_NAME("42939"),
    /** The schema named does not exist (Phantom-DB has only "public"). */
    INVALID_SCHEMA_NAME("3F000"),
    /** A privilege that does not apply to the object kind (USAGE on a table, SELECT on a schema). */
    INVALID_GRANT_OPERATION("0LP01"),

    // ----- class 53: insufficient resources
    /** A query needed more memory than phantom.sql.query-memory-budget allows. Narrow it or raise the budget. */
    OUT_OF_MEMORY("53200"),
    /** More client connections than phantom.pgwire.max-connections allows. Close idle ones or raise the limit. */
    TOO_MANY_CONNECTIONS("53300"),
    /** A configured limit was reached (e.g. result rows, open queries). The message names the limit. */
    CONFIGURATION_LIMIT_EXCEEDED("53400"),

    // ----- class 55: object not in prerequisite state
    /** A row or table lock was not granted within phantom.txn.lock-timeout. Retry, or shorten the transactions holding it. */
    LOCK_NOT_AVAILABLE("55P03"),
    /** SET of a setting that is fixed (server_version, integer_datetimes, ...). SHOW it instead. */
    CANT_CHANGE_RUNTIME_PARAM("55P02"),
    /** The object is in use (e.g. DROP ROLE of the session's own role). */
    OBJECT_IN_USE("55006"),

    // ----- class 57: operator intervention
    /** The query was cancelled, by the client or by the statement timeout. */
    QUERY_CANCELED("57014"),

    // ----- class 58 / XX: system and internal errors
    /** The storage engine reported an I/O error; the partition refuses writes until restarted. */
    IO_ERROR("58030"),
    /** A checksum failed: stored data is corrupt. The data was not returned. */
    DATA_CORRUPTED("XX001"),
    /** A bug: an invariant did not hold. Please report it with the statement. */
    INTERNAL_ERROR("XX000");

    private final String code;

    SqlState(String code) {
        if (code.length() != 5) {
            throw new IllegalArgumentException("SQLSTATE must have five characters: " + code);
        }
        this.code = code;
    }

    /** The five-character SQLSTATE, e.g. {@code "42P01"}. */
    public String code() {
        return code;
    }

    /** Whether running the whole transaction again may succeed (class 40: serialization failure, deadlock). */
    public boolean retryable() {
        return errorClass().equals("40");
    }

    /** The two-character class, e.g. {@code "42"}. */
    public String errorClass() {
        return code.substring(0, 2);
    }
}
