package io.phantomdb.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.security.AccessStatement.AlterRole;
import io.phantomdb.security.AccessStatement.CreateRole;
import io.phantomdb.security.AccessStatement.DropRole;
import io.phantomdb.security.AccessStatement.RoleOptions;
import io.phantomdb.security.AccessStatement.SchemaGrant;
import io.phantomdb.security.AccessStatement.TableGrant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Goal: the role and privilege statements parse as PostgreSQL spells them, everything else is left alone, and
 * malformed ones get 42601 (PostgreSQL features we lack: 0A000). Method: parse texts and compare the records.
 */
class AccessParserTest {

    private static AccessStatement parse(String sql) {
        return AccessParser.parse(sql).orElseThrow();
    }

    @Test
    void roleStatements() {
        assertEquals(new CreateRole("alice", true, new RoleOptions(null, null, true, "it's")),
                parse("create user Alice with password 'it''s';"));
        assertEquals(new CreateRole("Bob", false, new RoleOptions(true, true, false, null)),
                parse("CREATE ROLE \"Bob\" SUPERUSER LOGIN"));
        assertEquals(new AlterRole("carol", new RoleOptions(false, false, true, null)),
                parse("ALTER ROLE carol NOLOGIN NOSUPERUSER ENCRYPTED PASSWORD NULL -- comment"));
        assertEquals(new DropRole(List.of("a", "B"), true), parse("DROP USER IF EXISTS a, \"B\""));
    }

    @Test
    void grantStatements() {
        assertEquals(new TableGrant(true, EnumSet.of(Privilege.SELECT, Privilege.UPDATE), List.of("t", "u"), false,
                List.of("alice", "public")), parse("GRANT select, UPDATE ON TABLE t, public.u TO alice, PUBLIC"));
        assertEquals(new TableGrant(false, Privilege.TABLE, List.of(), true, List.of("bob")),
                parse("REVOKE ALL PRIVILEGES ON ALL TABLES IN SCHEMA public FROM bob CASCADE"));
        assertEquals(new SchemaGrant(true, Privilege.SCHEMA, "public", List.of("bob")), parse("GRANT ALL ON SCHEMA public TO bob"));
        assertEquals(new SchemaGrant(false, EnumSet.of(Privilege.CREATE), "public", List.of("public")),
                parse("/* x */ REVOKE CREATE ON SCHEMA public FROM PUBLIC"));
    }

    @Test
    void otherStatementsAreNotOurs() {
        for (String sql : List.of("SELECT 1", "CREATE TABLE role (id INT)", "DROP TABLE users", "CREATE USER MAPPING FOR x",
                "BEGIN", "")) {
            assertEquals(Optional.empty(), AccessParser.parse(sql), sql);
            assertFalse(AccessParser.isAccessStatement(sql), sql);
        }
        assertTrue(AccessParser.isAccessStatement("  grant select on t to x"));
    }

    @Test
    void malformedStatementsAreSyntaxErrorsWithAPosition() {
        for (String sql : List.of("GRANT SELECT t TO a", "GRANT SELECT ON t", "CREATE ROLE", "CREATE ROLE a b",
                "DROP ROLE a,", "REVOKE SELECT ON t TO a", "CREATE ROLE a PASSWORD 'unterminated", "GRANT FLY ON t TO a",
                "CREATE ROLE a SUPERUSER SUPERUSER")) {
            PhantomSqlException e = assertThrows(PhantomSqlException.class, () -> AccessParser.parse(sql), sql);
            assertEquals(SqlState.SYNTAX_ERROR, e.state(), sql + ": " + e.getMessage());
            assertTrue(e.position() > 0, sql);
        }
        for (String sql : List.of("GRANT TRUNCATE ON t TO a", "GRANT SELECT ON t TO a WITH GRANT OPTION",
                "REVOKE GRANT OPTION FOR SELECT ON t FROM a", "CREATE ROLE a CREATEROLE", "GRANT SELECT (id) ON t TO a")) {
            PhantomSqlException e = assertThrows(PhantomSqlException.class, () -> AccessParser.parse(sql), sql);
            assertEquals(SqlState.FEATURE_NOT_SUPPORTED, e.state(), sql + ": " + e.getMessage());
        }
        assertEquals(SqlState.INVALID_SCHEMA_NAME, assertThrows(PhantomSqlException.class,
                () -> AccessParser.parse("GRANT SELECT ON other.t TO a")).state());
    }
}
