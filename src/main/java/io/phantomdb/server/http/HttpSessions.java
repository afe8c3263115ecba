package io.phantomdb.server.http;

import io.phantomdb.error.SqlState;
import io.phantomdb.sql.SessionState;
import io.phantomdb.sql.SqlEngine;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP sessions ({@code POST /v1/sessions}): a {@link SessionState} kept between requests, so a transaction
 * block can span several {@code POST /v1/sql} calls carrying {@code Phantom-Session: <id>}.
 *
 * <p>Each session belongs to the role that created it (another role gets 404, as if it did not exist); runs one
 * statement at a time (a second one gets 409 + 25000); is closed - its open block rolled back - by
 * {@code DELETE /v1/sessions/<id>} or after {@code session-idle-timeout} without a request ({@link #closeIdle},
 * called by the server's timer). At most {@code max-sessions} exist (503 + 53300). Thread-safe: a session's
 * fields change only under its own monitor, and its SessionState is touched by one statement at a time.
 */
final class HttpSessions {
    static final int ID_BYTES = 18;

    /** One open session. {@code busy}: a statement runs; {@code closed}: no statement may start any more. */
    static final class HttpSession {
        final String id;
        final String user;
        final SessionState state;
        private Instant lastUsed;
        private boolean busy;
        private boolean closed;

        HttpSession(String id, String user, SessionState state, Instant now) {
            this.id = id;
            this.user = user;
            this.state = state;
            this.lastUsed = now;
        }

        /** Marks a statement as running; false when one already runs or the session closed. */
        synchronized boolean tryAcquire(Instant now) {
            if (busy || closed) {
                return false;
            }
            busy = true;
            lastUsed = now;
            return true;
        }

        synchronized void release(Instant now) {
            busy = false;
            lastUsed = now;
        }

        synchronized boolean closed() {
            return closed;
        }

        /** Closes (rolling back) when no statement runs and {@code idleSince} is after the last use. */
        synchronized boolean closeIfIdle(Instant idleSince) {
            if (busy || closed || lastUsed.isAfter(idleSince)) {
                return false;
            }
            closed = true;
            state.close();
            return true;
        }

        synchronized boolean closeUnlessBusy() {
            if (busy) {
                return false;
            }
            if (!closed) {
                closed = true;
                state.close();
            }
            return true;
        }
    }

    private final ConcurrentHashMap<String, HttpSession> byId = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final SqlEngine engine;
    private final int max;
    private final Duration idleTimeout;
    private final Clock clock;

    HttpSessions(SqlEngine engine, int max, Duration idleTimeout, Clock clock) {
        this.engine = engine;
        this.max = max;
        this.idleTimeout = idleTimeout;
        this.clock = clock;
    }

    HttpSession open(String user) {
        if (byId.size() >= max) {
            throw new HttpProblem(503, SqlState.TOO_MANY_CONNECTIONS,
                    "too many HTTP sessions (phantom.http.max-sessions = " + max + "); close unused ones with DELETE /v1/sessions/<id>");
        }
        byte[] raw = new byte[ID_BYTES];
        random.nextBytes(raw);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        HttpSession session = new HttpSession(id, user, engine.session(user), clock.instant());
        byId.put(id, session);
        return session;
    }

    /** The session {@code id} of {@code user}, acquired for one statement (release it when the statement ends). */
    HttpSession acquire(String id, String user) {
        HttpSession s = byId.get(id);
        if (s == null || !s.user.equals(user) || s.closed()) {
            throw notFound(id);
        }
        if (!s.tryAcquire(clock.instant())) {
            throw new HttpProblem(409, SqlState.INVALID_TRANSACTION_STATE,
                    "another statement of this session is still running; send one statement at a time");
        }
        return s;
    }

    void release(HttpSession s) {
        s.release(clock.instant());
    }

    /** Closes the session (rolling back its block); 409 while a statement of it runs. */
    void close(String id, String user) {
        HttpSession s = byId.get(id);
        if (s == null || !s.user.equals(user)) {
            throw notFound(id);
        }
        if (!s.closeUnlessBusy()) {
            throw new HttpProblem(409, SqlState.INVALID_TRANSACTION_STATE, "a statement of this session is still running");
        }
        byId.remove(id, s);
    }

    /** Closes every session idle for longer than the timeout; returns how many. */
    int closeIdle() {
        Instant idleSince = clock.instant().minus(idleTimeout);
        int closed = 0;
        for (HttpSession s : byId.values()) {
            if (s.closeIfIdle(idleSince)) {
                byId.remove(s.id, s);
                closed++;
            }
        }
        return closed;
    }

    void closeAll() {
        for (HttpSession s : byId.values()) {
            s.closeUnlessBusy();
        }
        byId.clear();
    }

    int size() {
        return byId.size();
    }

    private static HttpProblem notFound(String id) {
        return new HttpProblem(404, SqlState.UNDEFINED_OBJECT, "no HTTP session \"" + id + "\" (closed, timed out or not yours)");
    }
}
