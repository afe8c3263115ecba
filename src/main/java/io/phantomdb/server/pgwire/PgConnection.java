package io.phantomdb.server.pgwire;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.server.pgcatalog.PgSessionSettings;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.SharedKillSwitch;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection's protocol state machine, driven by its stream ({@link ConnectionFlow}): one inbound
 * message at a time, each answered by a {@link Source} of backend bytes that completes before the next message
 * is handled.
 *
 * <pre>
 *   STARTUP --StartupMessage--> SASL_FIRST --SASLInitialResponse--> SASL_FINAL --SASLResponse--> READY
 *      |  (trust: straight to READY)                                                         |
 *      +--SSLRequest/GSSENCRequest: 'N'   +--CancelRequest: cancel + close                   +--Terminate: close
 * </pre>
 *
 * Once READY it owns the session ({@link StatementRunner}: SessionState, settings) and the prepared statements
 * and portals ({@link QueryProtocol}). Closing the connection, for whatever reason, rolls back an open block and
 * frees its max-connections slot. The element {@link #CLOSE} tells the stream to end the connection after the
 * bytes before it were written. Confined to its stream, except {@link #cancelRunning} and {@link #shutdown}.
 */
final class PgConnection {
    private static final Logger LOG = LoggerFactory.getLogger(PgConnection.class);
    /** Identity sentinel: the stream stops at it (takeWhile) and closes the connection. */
    static final ByteString CLOSE = ByteString.fromString("pgwire-close");
    static final PhantomSqlException CANCELED_BY_USER = StatementRunner.CANCELED_BY_USER;
    /** Protocol 3.0 as StartupMessage writes it. */
    private static final int PROTOCOL_3_0 = 3 << 16;
    static final String SERVER_VERSION = "15.0 (Phantom-DB)";

    private enum Phase { STARTUP, SASL_FIRST, SASL_FINAL, READY }

    private final PgContext context;
    private final int processId;
    private final int secretKey;
    private final SharedKillSwitch killSwitch = KillSwitches.shared("pgwire-connection");
    private final long connectedAt = System.nanoTime();
    private volatile long lastActivity = System.nanoTime();
    private Phase phase = Phase.STARTUP;
    private boolean admitted;
    private String user;
    private String database;
    private Map<String, String> startupParameters = Map.of();
    private ScramAuthentication scram;
    private volatile StatementRunner runner;
    private QueryProtocol protocol;

    PgConnection(PgContext context) {
        this.context = context;
        this.processId = context.connections().newProcessId();
        this.secretKey = context.connections().newSecretKey();
        context.connections().register(this);
    }

    int processId() {
        return processId;
    }

    int secretKey() {
        return secretKey;
    }

    SharedKillSwitch killSwitch() {
        return killSwitch;
    }

    /** The responses to one inbound element. */
    Source<ByteString, NotUsed> handle(Inbound in) {
        if (in instanceof Inbound.Tick) {
            return onTick();
        }
        lastActivity = System.nanoTime();
        if (in instanceof Inbound.Malformed m) {
            return fatal(SqlState.PROTOCOL_VIOLATION, m.reason());
        }
        if (in instanceof Inbound.SslRequest || in instanceof Inbound.GssEncRequest) {
            return Source.single(Backend.sslAnswer('N')); // TLS is negotiated before this stage (ConnectionFlow), or is off
        }
        if (in instanceof Inbound.CancelRequest c) {
            context.connections().cancel(c.processId(), c.secretKey());
            return Source.single(CLOSE); // PostgreSQL answers nothing and closes
        }
        if (in instanceof Inbound.Startup s) {
            return onStartup(s);
        }
        Inbound.Message message = (Inbound.Message) in;
        try {
            return onMessage(message.type(), new MessageReader(message.body()));
        } catch (MessageReader.ProtocolException e) {
            return fatal(SqlState.PROTOCOL_VIOLATION, "invalid message format: " + e.getMessage());
        }
    }

    private Source<ByteString, NotUsed> onMessage(char type, MessageReader in) {
        if (type == 'X') {
            return Source.single(CLOSE);
        }
        switch (phase) {
            case READY: return protocol.handle(type, in);
            case SASL_FIRST: case SASL_FINAL:
                if (type == 'p') {
                    return onSasl(in);
                }
                return fatal(SqlState.PROTOCOL_VIOLATION, "expected SASL response, got message type '" + type + "'");
            default:
                return fatal(SqlState.PROTOCOL_VIOLATION, "unexpected message type '" + type + "' before startup");
        }
    }

    // ------------------------------------------------------------------------------- startup and authentication

    private Source<ByteString, NotUsed> onStartup(Inbound.Startup startup) {
        if (phase != Phase.STARTUP) {
            return fatal(SqlState.PROTOCOL_VIOLATION, "startup message after startup");
        }
        if (startup.version() != PROTOCOL_3_0) {
            return fatal(SqlState.FEATURE_NOT_SUPPORTED, "unsupported frontend protocol " + (startup.version() >> 16) + "."
                    + (startup.version() & 0xFFFF) + ": server supports 3.0 to 3.0");
        }
        Map<String, String> parameters = startup.parameters();
        user = parameters.getOrDefault("user", "");
        if (user.isEmpty()) {
            return fatal(SqlState.INVALID_AUTHORIZATION_SPECIFICATION, "no PostgreSQL user name specified in startup packet");
        }
        if (parameters.containsKey("replication") && !parameters.get("replication").equalsIgnoreCase("false")) {
            return fatal(SqlState.FEATURE_NOT_SUPPORTED, "replication connections are not supported");
        }
        database = parameters.getOrDefault("database", user);
        startupParameters = parameters;
        if (!context.connections().admit()) {
            return fatal(SqlState.TOO_MANY_CONNECTIONS, "sorry, too many clients already");
        }
        admitted = true;
        if (context.trust()) {
            if (!roleExists(user)) {
                return fatal(SqlState.INVALID_AUTHORIZATION_SPECIFICATION, "role \"" + user + "\" does not exist");
            }
            return completeStartup(ByteString.emptyByteString());
        }
        scram = new ScramAuthentication(user, context.verifiers().apply(user), context.mockSecret(), context.random());
        phase = Phase.SASL_FIRST;
        return Source.single(Backend.authenticationSasl(ScramAuthentication.mechanisms()));
    }

    private Source<ByteString, NotUsed> onSasl(MessageReader in) {
        ScramAuthentication.Step step;
        if (phase == Phase.SASL_FIRST) {
            String mechanism = in.cstring();
            int length = in.int32();
            byte[] data = length < 0 ? new byte[0] : in.bytes(length);
            step = scram.clientFirst(mechanism, new String(data, StandardCharsets.UTF_8));
        } else {
            step = scram.clientFinal(new String(in.rest(), StandardCharsets.UTF_8));
        }
        if (step instanceof ScramAuthentication.Step.Continue c) {
            phase = Phase.SASL_FINAL;
            return Source.single(Backend.authenticationSaslContinue(c.serverMessage()));
        }
        if (step instanceof ScramAuthentication.Step.Success s) {
            return completeStartup(Backend.authenticationSaslFinal(s.serverFinalMessage()));
        }
        LOG.info("pgwire: password authentication failed for user \"{}\": {}", user,
                ((ScramAuthentication.Step.Failure) step).reason());
        return fatal(SqlState.INVALID_PASSWORD, "password authentication failed for user \"" + user + "\"");
    }

    /** AuthenticationOk, the reported settings, BackendKeyData and the first ReadyForQuery. */
    private Source<ByteString, NotUsed> completeStartup(ByteString before) {
        PgSessionSettings settings;
        try {
            settings = new PgSessionSettings(user, database, startupParameters);
            settings.superuser(isSuperuser(user));
        } catch (PhantomSqlException e) {
            return fatal(e.state(), e.getMessage());
        }
        runner = new StatementRunner(context.db().engine(), context.db().engine().session(user), settings, context.db().system(),
                context.settings());
        protocol = new QueryProtocol(context, runner, () -> lastActivity = System.nanoTime());
        phase = Phase.READY;
        ByteStringBuilder out = new ByteStringBuilder().append(before).append(Backend.authenticationOk());
        for (Map.Entry<String, String> p : reported(settings).entrySet()) {
            out.append(Backend.parameterStatus(p.getKey(), p.getValue()));
        }
        out.append(Backend.backendKeyData(processId, secretKey));
        out.append(Backend.readyForQuery(runner.status()));
        return Source.single(out.result());
    }

    private Map<String, String> reported(PgSessionSettings settings) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("server_version", SERVER_VERSION);
        out.put("server_encoding", "UTF8");
        out.put("client_encoding", "UTF8");
        out.put("DateStyle", "ISO, MDY");
        out.put("TimeZone", "UTC");
        out.put("integer_datetimes", "on");
        out.put("standard_conforming_strings", "on");
        out.put("IntervalStyle", "postgres");
        out.put("application_name", startupParameters.getOrDefault("application_name", ""));
        out.put("is_superuser", isSuperuser(user) ? "on" : "off");
        out.put("session_authorization", user);
        out.putAll(settings.reported()); // the session's own values win
        settings.drainChanged(); // all of them were just reported
        return out;
    }

    private boolean roleExists(String role) {
        return context.db().security().canLogin(role);
    }

    private boolean isSuperuser(String role) {
        return context.db().security().isSuperuser(role);
    }

    // ------------------------------------------------------------------------------- timers, cancel, close

    private Source<ByteString, NotUsed> onTick() {
        long now = System.nanoTime();
        if (phase != Phase.READY) {
            if (now - connectedAt > context.settings().authenticationTimeout().toNanos()) {
                return fatal(SqlState.PROTOCOL_VIOLATION, "startup and authentication took longer than authentication-timeout");
            }
            return Source.empty();
        }
        long idle = context.settings().idleInTransactionTimeout().toNanos();
        if (idle > 0 && runner.status() != 'I' && now - lastActivity > idle) {
            return fatal(SqlState.IDLE_IN_TRANSACTION_SESSION_TIMEOUT, "terminating connection due to idle-in-transaction timeout");
        }
        return Source.empty();
    }

    /** Cancels the running statement (CancelRequest; any thread). */
    void cancelRunning(PhantomSqlException reason) {
        StatementRunner r = runner;
        if (r != null) {
            r.cancelRunning(reason);
        }
    }

    /** Closes the connection from outside (server stop; any thread). */
    void shutdown() {
        killSwitch.shutdown();
    }

    /** The connection ended: roll back, free the slot, forget the cancel key. Called once, by the stream. */
    void closed() {
        context.connections().unregister(this);
        try {
            if (protocol != null) {
                protocol.closeAllPortals();
            }
            if (runner != null) {
                runner.close();
            }
        } finally {
            if (admitted) {
                admitted = false;
                context.connections().release();
            }
        }
    }

    private static Source<ByteString, NotUsed> fatal(SqlState state, String message) {
        return Source.from(java.util.List.of(Errors.fatal(state, message), CLOSE));
    }
}
