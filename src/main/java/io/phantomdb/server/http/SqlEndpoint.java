package io.phantomdb.server.http;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.partition.PekkoFutures;
import io.phantomdb.server.pgwire.CommandTags;
import io.phantomdb.sql.Prepared;
import io.phantomdb.sql.SessionState;
import io.phantomdb.sql.SqlEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.japi.pf.PFBuilder;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * {@code POST /v1/sql}: runs one statement for an authenticated role and answers NDJSON (see {@link NdjsonEncoder}).
 *
 * <pre>
 *   query:   state.stream ──batches──▶ encode (chunks ≤ response-chunk-bytes) ──▶ count rows ──▶ prefixAndTail(1)
 *                                                                                        │ first chunk or end
 *            error before it ─▶ 4xx/5xx JSON        200 ◀─ columns line + chunks + complete line (or error line)
 *   other:   state.query ──▶ 200 columns line + rows + complete line, or 4xx/5xx JSON
 * </pre>
 * Backpressure: the entity is the statement's stream itself; nothing buffers more than one engine batch
 * (encoded into chunks of about {@code response-chunk-bytes}) beyond what Pekko HTTP and the socket hold, so a
 * client that reads slowly slows the scan. Waiting for the first chunk before answering lets SQL errors
 * (bad SQL, 42501, unknown table) be a 4xx; errors later are the stream's last line.
 */
final class SqlEndpoint {
    static final ContentType NDJSON = ContentTypes.create(MediaTypes.applicationWithFixedCharset("x-ndjson", HttpCharsets.UTF_8));

    private final SqlEngine engine;
    private final HttpSettings settings;
    private final HttpSessions sessions;
    private final HttpMetrics metrics;
    private final ActorSystem<?> system;

    SqlEndpoint(SqlEngine engine, HttpSettings settings, HttpSessions sessions, HttpMetrics metrics, ActorSystem<?> system) {
        this.engine = engine;
        this.settings = settings;
        this.sessions = sessions;
        this.metrics = metrics;
        this.system = system;
    }

    /** Runs {@code request} as {@code user}, in the HTTP session {@code sessionId} when not null. */
    CompletionStage<HttpResponse> run(String user, String sessionId, SqlRequest request) {
        if (!metrics.tryStart(settings.maxStatements())) {
            return CompletableFuture.completedFuture(HttpErrors.response(503, SqlState.CONFIGURATION_LIMIT_EXCEEDED,
                    "too many statements running over HTTP (phantom.http.max-statements = " + settings.maxStatements() + ")"));
        }
        HttpSessions.HttpSession session = null;
        SessionState state;
        try {
            session = sessionId == null ? null : sessions.acquire(sessionId, user);
            state = session == null ? engine.session(user) : session.state;
        } catch (RuntimeException e) {
            metrics.end();
            return CompletableFuture.completedFuture(HttpErrors.response(e));
        }
        Runnable release = once(session, state);
        try {
            Prepared prepared = prepareOrNull(request.sql());
            Object[] params = request.bind(prepared == null ? List.of() : prepared.parameterTypes());
            if (prepared != null && (prepared.kind() == Prepared.Kind.QUERY || prepared.kind() == Prepared.Kind.EXPLAIN)) {
                return stream(state, request.sql(), prepared, params, release);
            }
            return other(state, request.sql(), prepared, params, session == null, release);
        } catch (RuntimeException e) {
            release.run();
            return CompletableFuture.completedFuture(HttpErrors.response(e));
        }
    }

    /**
     * The statement's plan, or null when it is not preparable (transaction control, saga statements) or does not
     * compile: the session then runs it itself, so a bad statement inside a transaction block fails the block
     * as in PostgreSQL.
     */
    private Prepared prepareOrNull(String sql) {
        try {
            return engine.prepare(sql);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private CompletionStage<HttpResponse> stream(SessionState state, String sql, Prepared prepared, Object[] params,
            Runnable release) {
        NdjsonEncoder encoder = new NdjsonEncoder(settings.maxResultRows(), settings.maxResultBytes(), settings.responseChunkBytes());
        Source<SessionState.Result, NotUsed> results = state.stream(sql, params);
        if (!settings.statementTimeout().isZero()) {
            results = results.completionTimeout(settings.statementTimeout());
        }
        Source<ByteString, NotUsed> body = results
                .mapConcat(batch -> encoder.encode(batch.rows()))
                .map(chunk -> {
                    if (chunk.failure() != null) {
                        throw chunk.failure();
                    }
                    metrics.rowsSent(chunk.rows());
                    return chunk.bytes();
                })
                .watchTermination((mat, done) -> {
                    // the scan ended: completed, failed or cancelled. Never a Pekko stage's own continuation: on
                    // 2 CPUs that runs on a new thread per call (PekkoFutures)
                    PekkoFutures.of(done, Runnable::run).whenComplete((d, e) -> release.run());
                    return mat;
                });
        CompletionStage<Pair<List<ByteString>, Source<ByteString, NotUsed>>> first =
                body.prefixAndTail(1).runWith(Sink.head(), system);
        return PekkoFutures.of(first, system.executionContext()).handle((pair, failure) -> {
            if (failure != null) {
                release.run();
                return HttpErrors.response(failure);
            }
            // concatLazy, not concat: concat pulls every input ahead by one element, which would compute the
            // completion line (and its row count) before the rows were streamed.
            Source<ByteString, NotUsed> entity = Source.single(NdjsonEncoder.columnsLine(prepared.columns()))
                    .concatLazy(Source.from(pair.first()))
                    .concatLazy(pair.second())
                    .concatLazy(Source.lazySingle(() -> NdjsonEncoder.completeLine(CommandTags.tag(sql, prepared, encoder.rows(), null),
                            encoder.rows())))
                    .recover(new PFBuilder<Throwable, ByteString>()
                            .match(Throwable.class, e -> NdjsonEncoder.errorLine(HttpErrors.sqlError(e)))
                            .build());
            return HttpResponse.create().withEntity(HttpEntities.createChunked(NDJSON, entity));
        });
    }

    /** Statements other than queries: run to completion, answered in one piece. */
    private CompletionStage<HttpResponse> other(SessionState state, String sql, Prepared prepared, Object[] params,
            boolean sessionless, Runnable release) {
        SessionState.Status before = state.status(); // COMMIT of a failed block answers ROLLBACK
        CompletionStage<SessionState.Result> result = PekkoFutures.of(state.query(sql, params), Runnable::run);
        return result.handle((r, failure) -> {
            try {
                if (failure != null) {
                    return HttpErrors.response(failure);
                }
                if (sessionless && state.status() != SessionState.Status.IDLE) {
                    return HttpErrors.response(400, SqlState.FEATURE_NOT_SUPPORTED,
                            "a transaction block needs an HTTP session: POST /v1/sessions, then send Phantom-Session: <id>");
                }
                return HttpResponse.create().withEntity(HttpEntities.create(NDJSON, whole(sql, prepared, before, r)));
            } finally {
                release.run();
            }
        });
    }

    private ByteString whole(String sql, Prepared prepared, SessionState.Status before, SessionState.Result r) {
        NdjsonEncoder encoder = new NdjsonEncoder(settings.maxResultRows(), settings.maxResultBytes(), settings.responseChunkBytes());
        List<ByteString> parts = new ArrayList<>();
        parts.add(NdjsonEncoder.columnsLine(r.columns()));
        PhantomSqlException cut = null;
        for (NdjsonEncoder.Chunk c : encoder.encode(r.rows())) {
            parts.add(c.bytes());
            cut = c.failure() != null ? c.failure() : cut;
        }
        long count = r.columns().isEmpty() ? r.count() : encoder.rows();
        parts.add(cut != null ? NdjsonEncoder.errorLine(cut) : NdjsonEncoder.completeLine(CommandTags.tag(sql, prepared, count, before), count));
        ByteString all = ByteString.emptyByteString();
        for (ByteString p : parts) {
            all = all.concat(p);
        }
        return all;
    }

    /** Ends the statement exactly once: frees its slot, and its session (HTTP session) or state (one-off). */
    private Runnable once(HttpSessions.HttpSession session, SessionState state) {
        AtomicBoolean done = new AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) {
                if (session != null) {
                    sessions.release(session);
                } else {
                    state.close();
                }
                metrics.end();
            }
        };
    }
}
