package io.phantomdb.server.http;

import io.phantomdb.error.SqlState;
import io.phantomdb.partition.PekkoFutures;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.headers.Allow;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;

/**
 * Maps requests to endpoints (docs/http.md "Endpoints"). Every answer is JSON or NDJSON; unknown paths get 404
 * and known paths with another method 405 (with {@code Allow}), both with the JSON error body and SQLSTATE
 * 08P01. Every {@code /v1} path but health needs credentials ({@link Authenticator}).
 */
final class Router {
    static final String SESSION_HEADER = "Phantom-Session";

    private final Authenticator authenticator;
    private final SqlEndpoint sql;
    private final HttpSessions sessions;
    private final TokenStore tokens;
    private final HttpSettings settings;
    private final ActorSystem<?> system;

    Router(Authenticator authenticator, SqlEndpoint sql, HttpSessions sessions, TokenStore tokens, HttpSettings settings,
            ActorSystem<?> system) {
        this.authenticator = authenticator;
        this.sql = sql;
        this.sessions = sessions;
        this.tokens = tokens;
        this.settings = settings;
        this.system = system;
    }

    CompletionStage<HttpResponse> handle(HttpRequest request) {
        try {
            return route(request).exceptionally(HttpErrors::response);
        } catch (RuntimeException e) {
            request.discardEntityBytes(system);
            return CompletableFuture.completedFuture(HttpErrors.response(e));
        }
    }

    private CompletionStage<HttpResponse> route(HttpRequest request) {
        String path = request.getUri().path();
        HttpMethod method = request.method();
        if (path.equals("/v1/health")) {
            return only(request, HttpMethods.GET, () -> done(json(200, Map.of("status", "ok"))));
        }
        if (path.equals("/v1/sql")) {
            return only(request, HttpMethods.POST, () -> runSql(request));
        }
        if (path.equals("/v1/tokens")) {
            return only(request, HttpMethods.POST, () -> issueToken(request));
        }
        if (path.equals("/v1/tokens/current")) {
            return only(request, HttpMethods.DELETE, () -> revokeToken(request));
        }
        if (path.equals("/v1/sessions")) {
            return only(request, HttpMethods.POST, () -> openSession(request));
        }
        if (path.startsWith("/v1/sessions/") && path.length() > "/v1/sessions/".length()) {
            String id = path.substring("/v1/sessions/".length());
            return only(request, HttpMethods.DELETE, () -> closeSession(request, id));
        }
        request.discardEntityBytes(system);
        return done(HttpErrors.response(404, SqlState.PROTOCOL_VIOLATION, "no such endpoint: " + method.value() + " " + path
                + " (see docs/http.md)"));
    }

    private CompletionStage<HttpResponse> only(HttpRequest request, HttpMethod allowed,
            java.util.function.Supplier<CompletionStage<HttpResponse>> endpoint) {
        if (!request.method().equals(allowed)) {
            request.discardEntityBytes(system);
            return done(HttpErrors.response(405, SqlState.PROTOCOL_VIOLATION, "method " + request.method().value()
                    + " is not allowed on " + request.getUri().path() + "; use " + allowed.value()).addHeader(Allow.create(allowed)));
        }
        return endpoint.get();
    }

    private CompletionStage<HttpResponse> runSql(HttpRequest request) {
        Authenticator.Principal who = authenticate(request);
        if (!request.entity().getContentType().mediaType().equals(MediaTypes.APPLICATION_JSON)) {
            request.discardEntityBytes(system);
            return done(HttpErrors.response(415, SqlState.PROTOCOL_VIOLATION,
                    "send the body as Content-Type: application/json (got " + request.entity().getContentType() + ")"));
        }
        String sessionId = request.getHeader(SESSION_HEADER).map(h -> h.value().trim()).orElse(null);
        // PekkoFutures: a Pekko stage's own continuations run on a new thread per call on 2 CPUs
        return PekkoFutures.of(request.entity().withSizeLimit(settings.maxRequestBytes())
                .toStrict(settings.requestBodyTimeout().toMillis(), system), system.executionContext())
                .handle((strict, failure) -> {
                    if (failure != null) {
                        throw bodyProblem(failure);
                    }
                    return SqlRequest.parse(strict.getData().toArray());
                })
                .thenCompose(parsed -> sql.run(who.user(), sessionId, parsed));
    }

    private HttpProblem bodyProblem(Throwable failure) {
        Throwable t = io.phantomdb.error.PhantomSqlException.unwrap(failure);
        if (t instanceof EntityStreamSizeException) {
            return new HttpProblem(413, SqlState.CONFIGURATION_LIMIT_EXCEEDED,
                    "request body larger than phantom.http.max-request-bytes (" + settings.maxRequestBytes() + " bytes)");
        }
        if (t instanceof java.util.concurrent.TimeoutException) {
            return new HttpProblem(408, SqlState.PROTOCOL_VIOLATION,
                    "request body not received within phantom.http.request-body-timeout (" + settings.requestBodyTimeout() + ")");
        }
        return new HttpProblem(400, SqlState.PROTOCOL_VIOLATION, "request body could not be read: " + t.getMessage());
    }

    private CompletionStage<HttpResponse> issueToken(HttpRequest request) {
        request.discardEntityBytes(system);
        Authenticator.Principal who = authenticate(request);
        if (who.token() != null) {
            throw new HttpProblem(403, SqlState.INSUFFICIENT_PRIVILEGE,
                    "a token cannot issue tokens: authenticate POST /v1/tokens with Basic (user:password)");
        }
        TokenStore.Issued issued = tokens.issue(who.user());
        return done(json(200, Map.of("token", issued.token(), "expires_at", issued.expiresAt().toString())));
    }

    private CompletionStage<HttpResponse> revokeToken(HttpRequest request) {
        request.discardEntityBytes(system);
        Authenticator.Principal who = authenticate(request);
        if (who.token() == null) {
            throw new HttpProblem(400, SqlState.PROTOCOL_VIOLATION, "DELETE /v1/tokens/current needs Authorization: Bearer <token>");
        }
        tokens.revoke(who.token());
        return done(json(200, Map.of("revoked", true)));
    }

    private CompletionStage<HttpResponse> openSession(HttpRequest request) {
        request.discardEntityBytes(system);
        Authenticator.Principal who = authenticate(request);
        return done(json(200, Map.of("session", sessions.open(who.user()).id)));
    }

    private CompletionStage<HttpResponse> closeSession(HttpRequest request, String id) {
        request.discardEntityBytes(system);
        Authenticator.Principal who = authenticate(request);
        sessions.close(id, who.user());
        return done(json(200, Map.of("closed", id)));
    }

    private Authenticator.Principal authenticate(HttpRequest request) {
        boolean loopback = request.getAttribute(AttributeKeys.remoteAddress)
                .flatMap(r -> r.getAddress())
                .map(InetAddress::isLoopbackAddress)
                .orElse(false);
        return authenticator.authenticate(request, settings.tls().enabled(), loopback);
    }

    private static HttpResponse json(int status, Map<String, ?> fields) {
        return HttpResponse.create().withStatus(status)
                .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, Json.object(new java.util.TreeMap<>(fields))));
    }

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
