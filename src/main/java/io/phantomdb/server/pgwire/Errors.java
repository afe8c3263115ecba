package io.phantomdb.server.pgwire;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ErrorResponse messages from failures: a {@link PhantomSqlException} keeps its SQLSTATE, message and position;
 * a broken frontend message is 08P01; anything else is a bug, logged here and reported as XX000 without
 * internals. Stateless.
 */
final class Errors {
    private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

    private Errors() {}

    /** ERROR severity: the statement failed, the connection goes on. */
    static ByteString response(Throwable failure) {
        Throwable t = PhantomSqlException.unwrap(failure);
        if (t instanceof PhantomSqlException p) {
            return Backend.error('E', "ERROR", p.state().code(), p.getMessage(), p.position());
        }
        if (t instanceof MessageReader.ProtocolException) {
            return Backend.error('E', "ERROR", SqlState.PROTOCOL_VIOLATION.code(), "invalid message format: " + t.getMessage(), 0);
        }
        LOG.error("internal error while serving a pgwire statement", t);
        return Backend.error('E', "ERROR", SqlState.INTERNAL_ERROR.code(), "internal error: " + t.getClass().getSimpleName()
                + (t.getMessage() == null ? "" : ": " + t.getMessage()), 0);
    }

    /** FATAL severity: the server closes the connection after sending it. */
    static ByteString fatal(SqlState state, String message) {
        return Backend.error('E', "FATAL", state.code(), message, 0);
    }
}
