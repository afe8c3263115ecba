package io.phantomdb.server.pgcatalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/*
 * Goal: SET / RESET / SHOW, set_config and current_setting behave as PostgreSQL's for the settings clients rely
 * on, ParameterStatus reporting sees every change once, and bad input is refused with PostgreSQL's SQLSTATE
 * without changing anything. Method: statements go through PgCatalog.recognize (no node needed: settings
 * statements never read the catalog) and run against a PgSessionSettings.
 */
class SessionSettingsTest {
    private final PgCatalog catalog = new PgCatalog(null);
    private final PgSessionSettings s = new PgSessionSettings("alice", "phantom", Map.of("client_encoding", "UTF8",
            "DateStyle", "ISO", "TimeZone", "Europe/Paris", "extra_float_digits", "2", "options", "-c search_path=app"));

    private CatalogResult run(String sql, Object... params) {
        return CatalogFixture.claim(catalog, sql).run(params, s);
    }

    private String show(String name) {
        return (String) run("SHOW " + name).rows().get(0)[0];
    }

    private SqlState failure(String sql) {
        return assertThrows(PhantomSqlException.class, () -> run(sql), sql).state();
    }

    @Test
    void defaultsAndStartupParameters() {
        Map<String, String> reported = s.reported();
        assertEquals("15.0", reported.get("server_version"));
        assertEquals("UTF8", reported.get("server_encoding"));
        assertEquals("UTF8", reported.get("client_encoding"));
        assertEquals("ISO, MDY", reported.get("DateStyle"));
        assertEquals("Europe/Paris", reported.get("TimeZone"));
        assertEquals("on", reported.get("integer_datetimes"));
        assertEquals("on", reported.get("standard_conforming_strings"));
        assertEquals("alice", reported.get("session_authorization"));
        assertTrue(reported.keySet().containsAll(List.of("application_name", "IntervalStyle", "is_superuser")));
        assertEquals("2", show("extra_float_digits"));
        assertEquals("app", show("search_path"));
        assertEquals("150000", show("server_version_num"));
        assertEquals("63", show("max_identifier_length"));
        assertEquals(Map.of(), s.drainChanged());
    }

    @Test
    void setShowResetAndReportChangesOnce() {
        assertEquals("SET", run("SET application_name = 'psql test'").commandTag());
        assertEquals("psql test", show("application_name"));
        assertEquals(Map.of("application_name", "psql test"), s.drainChanged());
        assertEquals(Map.of(), s.drainChanged());
        run("SET SESSION TimeZone TO 'UTC'");
        assertEquals("UTC", show("timezone"));
        run("SET TIME ZONE 'America/New_York'");
        assertEquals("America/New_York", show("TIME ZONE"));
        run("RESET timezone");
        assertEquals("Europe/Paris", show("TimeZone"));
        run("SET search_path TO \"$user\", public");
        assertEquals("\"$user\", public", show("search_path"));
        run("SET extra_float_digits = 3");
        run("SET extra_float_digits TO DEFAULT");
        assertEquals("2", show("extra_float_digits"));
        run("SET statement_timeout = '5s'");
        assertEquals(5000, s.millis("statement_timeout"));
        run("RESET ALL");
        assertEquals("", show("application_name"));
        assertEquals("TimeZone", CatalogFixture.claim(catalog, "show timezone").columns().get(0).name());
        assertTrue(run("SHOW ALL").rows().size() > 20);
    }

    @Test
    void setConfigAndCurrentSetting() {
        assertEquals("x", run("SELECT set_config('application_name', 'x', false)").rows().get(0)[0]);
        assertEquals("x", run("select pg_catalog.current_setting('application_name')").rows().get(0)[0]);
        assertEquals("ISO, MDY", run("SELECT current_setting($1)", "DateStyle").rows().get(0)[0]);
        assertEquals(SqlState.FEATURE_NOT_SUPPORTED, failure("SELECT set_config('application_name', 'y', true)"));
        assertEquals("x", show("application_name"));
    }

    @Test
    void badSettingsAreRefusedAndChangeNothing() {
        assertEquals(SqlState.UNDEFINED_OBJECT, failure("SET no_such_setting = 1"));
        assertEquals(SqlState.UNDEFINED_OBJECT, failure("SHOW no_such_setting"));
        assertEquals(SqlState.INVALID_PARAMETER_VALUE, failure("SET client_encoding = 'LATIN1'"));
        assertEquals(SqlState.INVALID_PARAMETER_VALUE, failure("SET extra_float_digits = 9"));
        assertEquals(SqlState.INVALID_PARAMETER_VALUE, failure("SET TimeZone = 'Mars/Olympus'"));
        assertEquals(SqlState.FEATURE_NOT_SUPPORTED, failure("SET DateStyle = 'German'"));
        assertEquals(SqlState.FEATURE_NOT_SUPPORTED, failure("SET standard_conforming_strings = off"));
        assertEquals(SqlState.CANT_CHANGE_RUNTIME_PARAM, failure("SET server_version = '16'"));
        assertEquals(SqlState.SYNTAX_ERROR, assertThrows(PhantomSqlException.class,
                () -> catalog.recognize("SET application_name")).state());
        assertEquals("UTF8", show("client_encoding"));
        assertEquals("ISO, MDY", show("DateStyle"));
        assertEquals(Map.of(), s.drainChanged());
        PhantomSqlException startup = assertThrows(PhantomSqlException.class,
                () -> new PgSessionSettings("a", "d", Map.of("client_encoding", "LATIN1")));
        assertEquals(SqlState.INVALID_PARAMETER_VALUE, startup.state());
    }

    @Test
    void probesAnswerFromTheSession() {
        assertEquals(List.of("public"), List.of(run("select current_schema()").rows().get(0)));
        Object[] row = run("SELECT current_database(), current_user AS who, session_user, current_catalog").rows().get(0);
        assertEquals(List.of("phantom", "alice", "alice", "phantom"), List.of(row));
        assertEquals("who", CatalogFixture.claim(catalog, "SELECT current_database(), current_user AS who").columns().get(1).name());
        assertTrue(((String) run("SELECT version()").rows().get(0)[0]).startsWith("PostgreSQL 15.0"));
        assertTrue(catalog.recognize("SELECT version() FROM t").isEmpty());
        assertTrue(catalog.recognize("SELECT current_user, id FROM t").isEmpty());
    }
}
