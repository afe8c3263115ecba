package io.phantomdb.server.http;

import io.phantomdb.error.SqlState;

/**
 * A request the HTTP layer refuses before any statement runs (bad JSON, oversize body, missing credentials):
 * the status, SQLSTATE and message of its JSON error response. Unchecked, because it crosses futures.
 */
final class HttpProblem extends RuntimeException {
    private final int status;
    private final SqlState state;

    HttpProblem(int status, SqlState state, String message) {
        super(message, null, false, false); // an expected outcome: no stack trace
        this.status = status;
        this.state = state;
    }

    int status() {
        return status;
    }

    SqlState state() {
        return state;
    }
}
