package io.phantomdb.server.http;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.stream.StreamLimitReachedException;

/**
 * Failures as HTTP responses: the one table from SQLSTATE (class) to status (docs/http.md "Status codes"),
 * and the JSON body every error has: {@code {"error":{"sqlstate":"42601","message":"..."}}}.
 *
 * <pre>
 *   28xxx                      401   (credentials)        42501                 403
 *   42xxx 22xxx 0Axxx 21xxx    400   (the statement)      3Bxxx 3Fxxx 2Bxxx     400
 *   23xxx 25xxx 40xxx 55xxx    409   (state / conflict)   53xxx 57014           503
 *   08007, 58xxx, XXxxx, rest  500
 * </pre>
 * 409 for class 40 tells the client the whole transaction may be retried; 503 for resource limits and
 * timeouts tells it the server is busy now. Statement timeouts are not 408, because browsers and proxies
 * repeat a request that got 408 on their own, which must not happen to a statement.
 */
final class HttpErrors {
    private HttpErrors() {}

    /** The HTTP status for an error of {@code state}. */
    static int status(SqlState state) {
        String code = state.code();
        if (state == SqlState.INSUFFICIENT_PRIVILEGE) {
            return 403;
        }
        switch (state.errorClass()) {
            case "28":
                return 401;
            case "42": case "22": case "0A": case "21": case "3B": case "3F": case "2B": case "08":
                return code.equals("08007") ? 500 : 400;
            case "23": case "25": case "40": case "55":
                return 409;
            case "53":
                return 503;
            case "57":
                return 503;
            default:
                return 500;
        }
    }

    /** The SQL error a failure stands for: SQL errors as they are, timeouts as 57014, anything else 58000/XX000. */
    static PhantomSqlException sqlError(Throwable failure) {
        Throwable t = PhantomSqlException.unwrap(failure);
        if (t instanceof PhantomSqlException p) {
            return p;
        }
        if (t instanceof HttpProblem h) {
            return new PhantomSqlException(h.state(), h.getMessage());
        }
        if (t instanceof TimeoutException) {
            return new PhantomSqlException(SqlState.QUERY_CANCELED, "canceling statement due to statement timeout");
        }
        if (t instanceof StreamLimitReachedException) {
            return new PhantomSqlException(SqlState.CONFIGURATION_LIMIT_EXCEEDED, t.getMessage());
        }
        return new PhantomSqlException(SqlState.INTERNAL_ERROR, "internal error: " + t);
    }

    /** The response for a failure before the statement's result started. */
    static HttpResponse response(Throwable failure) {
        Throwable t = PhantomSqlException.unwrap(failure);
        if (t instanceof HttpProblem h) {
            return response(h.status(), h.state(), h.getMessage());
        }
        PhantomSqlException e = sqlError(t);
        return response(status(e.state()), e.state(), e.getMessage());
    }

    static HttpResponse response(int status, SqlState state, String message) {
        HttpResponse response = HttpResponse.create().withStatus(StatusCodes.get(status))
                .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, Json.errorBody(state, message, 0)));
        if (status == 401) {
            response = response.addHeader(org.apache.pekko.http.javadsl.model.HttpHeader.parse("WWW-Authenticate",
                    "Basic realm=\"phantom\""));
        }
        return response;
    }
}
