package io.phantomdb.error;

/**
 * An expected, user-visible failure of a statement: bad SQL, a constraint violation, a resource limit.
 * Carries the {@link SqlState} every interface reports (pgwire ErrorResponse, HTTP JSON body) and, for
 * syntax errors, the 1-based character position in the statement text (0 when not known).
 *
 * <p>Unchecked, because it crosses stream stages and futures; bugs are not reported with this type.
 */
public final class PhantomSqlException extends RuntimeException {
    private final SqlState state;
    private final int position;

    public PhantomSqlException(SqlState state, String message) {
        this(state, message, 0, null);
    }

    public PhantomSqlException(SqlState state, String message, Throwable cause) {
        this(state, message, 0, cause);
    }

    public PhantomSqlException(SqlState state, String message, int position, Throwable cause) {
        super(message, cause);
        if (state == null || position < 0) {
            throw new IllegalArgumentException("state required, position >= 0");
        }
        this.state = state;
        this.position = position;
    }

    public SqlState state() {
        return state;
    }

    /** 1-based character position of the error in the statement text, or 0 when not applicable. */
    public int position() {
        return position;
    }

    /**
     * {@code failure} without the wrappers asynchronous code adds around it ({@link
     * java.util.concurrent.CompletionException}, {@link java.util.concurrent.ExecutionException}).
     */
    public static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The SQL error inside {@code failure}'s wrappers, or null when it is not one. */
    public static PhantomSqlException of(Throwable failure) {
        return unwrap(failure) instanceof PhantomSqlException p ? p : null;
    }

    @Override
    public String toString() {
        return "ERROR " + state.code() + ": " + getMessage() + (position > 0 ? " (at character " + position + ")" : "");
    }
}
