package io.phantomdb.server.pgcatalog;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One connection's session settings (PostgreSQL GUCs): SET/RESET/SHOW change and read them, and the wire
 * layer sends ParameterStatus for the reported ones — {@link #reported()} after authentication, then
 * {@link #drainChanged()} after each statement. Defaults are PostgreSQL 15's as a UTF8 server shows them;
 * startup parameters (client_encoding, DateStyle, TimeZone, application_name, {@code options=-c name=value})
 * override them. Unknown names fail with 42704, bad values with 22023, values Phantom-DB cannot honour with
 * 0A000, fixed ones with 55P02; a failed change leaves everything as it was.
 *
 * <p>Belongs to one connection; synchronized so the wire layer may read it from another thread.
 */
public final class PgSessionSettings {
    /** Startup keys that are not settings: the role and database are the connection's, replication is refused elsewhere. */
    private static final String STATEMENT_TIMEOUT = "statement_timeout";
    private static final Set<String> STARTUP_NON_SETTINGS = Set.of("user", "database", "replication", "options");

    private final String user;
    private final String database;
    /** Current value by lower-case name; every known setting has one. */
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> defaults = new LinkedHashMap<>();
    private final Set<String> changed = new LinkedHashSet<>();
    /** statement_timeout in ms, kept current by every change: the wire layer reads it for every statement. */
    private volatile long statementTimeoutMillis;

    public PgSessionSettings(String user, String database, Map<String, String> startupParameters) {
        if (user == null || user.isEmpty() || database == null || database.isEmpty()) {
            throw new IllegalArgumentException("a session needs a user and a database");
        }
        this.user = user;
        this.database = database;
        for (KnownSettings.Def def : KnownSettings.all()) {
            defaults.put(key(def.name()), def.defaultValue());
        }
        defaults.put("session_authorization", user);
        for (Map.Entry<String, String> p : startupParameters.entrySet()) {
            if (p.getKey().equals("options")) {
                applyOptions(p.getValue());
            } else if (!STARTUP_NON_SETTINGS.contains(p.getKey())) {
                // A startup value is the session's default: RESET returns to it, as in PostgreSQL.
                defaults.put(key(p.getKey()), checked(KnownSettings.lookup(p.getKey()), p.getValue()));
            }
        }
        values.putAll(defaults);
        statementTimeoutMillis = KnownSettings.millis(values.get(STATEMENT_TIMEOUT));
    }

    /** The role the session authenticated as. */
    public String user() {
        return user;
    }

    /** The database named at startup (Phantom-DB has one database; any name reaches it). */
    public String database() {
        return database;
    }

    /** The current value of the setting (any case), e.g. {@code get("DateStyle")}; 42704 when unknown. */
    public synchronized String get(String name) {
        return values.get(key(KnownSettings.lookup(name).name()));
    }

    /** A duration setting (statement_timeout, lock_timeout, idle_in_transaction_session_timeout) in ms; 0 = none. */
    public synchronized long millis(String name) {
        return KnownSettings.millis(get(name));
    }

    /** {@code statement_timeout} in ms (0 = none) without parsing it: cached whenever it changes. */
    public long statementTimeoutMillis() {
        return statementTimeoutMillis;
    }

    /** Every setting PostgreSQL reports in ParameterStatus, with its current value, by canonical name. */
    public synchronized Map<String, String> reported() {
        Map<String, String> out = new LinkedHashMap<>();
        for (KnownSettings.Def def : KnownSettings.all()) {
            if (def.reported()) {
                out.put(def.name(), values.get(key(def.name())));
            }
        }
        return out;
    }

    /** The reported settings whose value changed since the last call (send them as ParameterStatus). */
    public synchronized Map<String, String> drainChanged() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : changed) {
            KnownSettings.Def def = KnownSettings.lookup(name);
            if (def.reported()) {
                out.put(def.name(), values.get(name));
            }
        }
        changed.clear();
        return out;
    }

    /**
     * Marks whether the session's role is a superuser (reported as is_superuser; psql shows '#' in its prompt).
     * The wire layer calls it after authentication; it is not a SET-able setting.
     */
    public synchronized void superuser(boolean superuser) {
        put("is_superuser", superuser ? "on" : "off");
    }

    /** SET name = value: checks and normalizes the value; returns the stored value. */
    synchronized String set(String name, String value) {
        KnownSettings.Def def = KnownSettings.lookup(name);
        if (def.readOnly()) {
            throw new PhantomSqlException(SqlState.CANT_CHANGE_RUNTIME_PARAM, "parameter \"" + def.name() + "\" cannot be changed");
        }
        String stored = checked(def, value);
        put(def.name(), stored);
        return stored;
    }

    /** RESET name (or SET name TO DEFAULT): back to the session's default. */
    synchronized void reset(String name) {
        KnownSettings.Def def = KnownSettings.lookup(name);
        if (def.readOnly()) {
            throw new PhantomSqlException(SqlState.CANT_CHANGE_RUNTIME_PARAM, "parameter \"" + def.name() + "\" cannot be changed");
        }
        put(def.name(), defaults.get(key(def.name())));
    }

    /** RESET ALL: every changeable setting back to its default. */
    synchronized void resetAll() {
        for (KnownSettings.Def def : KnownSettings.all()) {
            if (!def.readOnly()) {
                put(def.name(), defaults.get(key(def.name())));
            }
        }
    }

    /** SHOW ALL: name, value and description of every setting, by name. */
    synchronized List<Object[]> all() {
        return KnownSettings.all().stream()
                .sorted((a, b) -> key(a.name()).compareTo(key(b.name())))
                .map(def -> new Object[] {def.name(), values.get(key(def.name())), def.description()})
                .toList();
    }

    private void put(String name, String value) {
        String k = key(name);
        if (!value.equals(values.put(k, value))) {
            changed.add(k);
        }
        if (k.equals(STATEMENT_TIMEOUT)) {
            statementTimeoutMillis = KnownSettings.millis(value);
        }
    }

    private static String checked(KnownSettings.Def def, String value) {
        if (def.readOnly()) {
            throw new PhantomSqlException(SqlState.CANT_CHANGE_RUNTIME_PARAM, "parameter \"" + def.name() + "\" cannot be changed");
        }
        return def.check().apply(value);
    }

    /** PostgreSQL's startup {@code options}: "-c name=value" (or "--name=value") pairs separated by spaces. */
    private void applyOptions(String options) {
        String[] words = options.trim().split("\\s+");
        for (int i = 0; i < words.length; i++) {
            String w = words[i];
            String pair = null;
            if (w.equals("-c") && i + 1 < words.length) {
                pair = words[++i];
            } else if (w.startsWith("-c")) {
                pair = w.substring(2);
            } else if (w.startsWith("--")) {
                pair = w.substring(2);
            } else if (!w.isEmpty()) {
                throw new PhantomSqlException(SqlState.FEATURE_NOT_SUPPORTED, "unsupported startup option \"" + w + "\"");
            }
            if (pair != null) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new PhantomSqlException(SqlState.SYNTAX_ERROR, "-c option needs name=value, got \"" + pair + "\"");
                }
                String name = pair.substring(0, eq).replace('-', '_');
                defaults.put(key(name), checked(KnownSettings.lookup(name), pair.substring(eq + 1)));
            }
        }
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
