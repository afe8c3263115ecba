package io.phantomdb.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.sql.SessionState;
import io.phantomdb.storage.Engine;
import io.phantomdb.storage.KvIterator;
import io.phantomdb.testkit.TestNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: roles behave as a PostgreSQL user expects and are stored safely. Method: role statements run through
 * the embedded API (implicit superuser) and through sessions of roles on a real node; the node is restarted to
 * prove durability; the system partition's keys and values and every file of the data directory are searched
 * for the plain password, which must not be there.
 */
class RoleStatementsTest {
    private static final String ADMIN_PASSWORD = "admin-pw-3141";
    private static final Map<String, Object> CONFIG = Map.of("phantom.security.admin-password", ADMIN_PASSWORD);

    @TempDir
    Path dir;

    @Test
    void createUserIsDurableAndAuthenticatesWithItsPassword() {
        try (TestNode node = new TestNode(dir, CONFIG)) {
            node.execute("CREATE USER alice WITH PASSWORD 'secret'");
            node.execute("CREATE ROLE Readers");
            assertTrue(node.db().security().authenticate("alice", "secret"));
            assertFalse(node.db().security().authenticate("alice", "Secret"));
            node.restart();
            Security security = node.db().security();
            assertTrue(security.authenticate("alice", "secret"), "the role survived the restart");
            assertFalse(security.authenticate("alice", "wrong"));
            assertTrue(security.role("readers").isPresent(), "unquoted names fold to lower case");
            assertFalse(security.role("readers").get().login(), "CREATE ROLE implies NOLOGIN");
            assertTrue(security.role("alice").get().login(), "CREATE USER implies LOGIN");
            assertEquals(List.of("phantom", "alice", "readers"), security.roles().stream().map(RoleInfo::name).toList());
        }
    }

    @Test
    void passwordIsStoredOnlyAsAVerifier() throws IOException {
        String password = "pl41n-t3xt-n3v3r-st0r3d";
        try (TestNode node = new TestNode(dir, CONFIG)) {
            node.execute("CREATE USER bob PASSWORD '" + password + "'");
            node.execute("ALTER USER bob WITH PASSWORD '" + password + "2'");
            byte[] needle = password.getBytes(StandardCharsets.UTF_8);
            int values = 0;
            for (Engine engine : node.db().localEngines()) {
                try (KvIterator it = engine.scan(null, null, Long.MAX_VALUE, true)) {
                    while (it.next()) {
                        assertFalse(contains(it.key(), needle) || contains(it.value(), needle), "plain password in the store");
                        values++;
                    }
                }
            }
            assertTrue(values > 0, "the scan saw the stored records");
            String verifier = node.db().security().loginVerifier("bob").orElseThrow().encoded();
            assertTrue(verifier.startsWith("SCRAM-SHA-256$4096:"), verifier);
        }
        // After close every byte is on disk: no file of the data directory holds the password.
        byte[] needle = password.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertFalse(contains(Files.readAllBytes(f), needle), "plain password in " + f);
            }
        }
    }

    @Test
    void duplicateUnknownAndReservedRolesGiveTheirSqlStates() {
        try (TestNode node = new TestNode(dir, CONFIG)) {
            node.execute("CREATE ROLE carol");
            assertState(SqlState.DUPLICATE_OBJECT, () -> node.execute("CREATE USER carol"));
            assertState(SqlState.DUPLICATE_OBJECT, () -> node.execute("CREATE ROLE CAROL"));
            node.execute("CREATE ROLE \"CAROL\""); // quoted keeps case: another role
            assertState(SqlState.UNDEFINED_OBJECT, () -> node.execute("ALTER ROLE dave LOGIN"));
            assertState(SqlState.UNDEFINED_OBJECT, () -> node.execute("DROP ROLE dave"));
            assertState(SqlState.UNDEFINED_OBJECT, () -> node.execute("GRANT SELECT ON t TO dave"));
            assertState(SqlState.RESERVED_NAME, () -> node.execute("CREATE ROLE public"));
            assertState(SqlState.SYNTAX_ERROR, () -> node.execute("CREATE ROLE erin LOGIN NOLOGIN"));
            assertState(SqlState.SYNTAX_ERROR, () -> node.execute("CREATE ROLE erin WITH PASSWORD"));
            assertState(SqlState.SYNTAX_ERROR, () -> node.execute("DROP ROLE"));
            assertState(SqlState.FEATURE_NOT_SUPPORTED, () -> node.execute("CREATE ROLE erin CREATEDB"));
            node.execute("DROP ROLE IF EXISTS dave, carol");
            assertFalse(node.db().security().role("carol").isPresent());
            assertTrue(node.db().security().role("CAROL").isPresent());
            assertState(SqlState.DEPENDENT_OBJECTS_STILL_EXIST, () -> node.execute("DROP ROLE phantom"));
        }
    }

    @Test
    void syntaxErrorsNeverEchoThePassword() {
        try (TestNode node = new TestNode(dir, CONFIG)) {
            PhantomSqlException e = assertThrows(PhantomSqlException.class,
                    () -> node.execute("CREATE USER frank 'hunter2' LOGIN"));
            assertEquals(SqlState.SYNTAX_ERROR, e.state());
            assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        }
    }

    @Test
    void nologinPasswordNullAndAlterChangeWhoMayLogIn() {
        try (TestNode node = new TestNode(dir, CONFIG)) {
            node.execute("CREATE ROLE grace WITH NOLOGIN PASSWORD 'pw'");
            Security security = node.db().security();
            assertFalse(security.authenticate("grace", "pw"), "NOLOGIN cannot authenticate");
            assertTrue(security.loginVerifier("grace").isEmpty());
            node.execute("ALTER ROLE grace LOGIN");
            assertTrue(security.authenticate("grace", "pw"));
            node.execute("ALTER ROLE grace PASSWORD NULL");
            assertFalse(security.authenticate("grace", "pw"), "no password: no password login");
            assertTrue(security.canLogin("grace"), "TRUST may still let a LOGIN role in");
            assertFalse(security.authenticate("nobody", "pw"));
        }
    }

    @Test
    void onlySuperusersRunRoleStatementsButAnyRoleMayChangeItsOwnPassword() {
        try (TestNode node = new TestNode(dir, CONFIG)) {
            node.execute("CREATE USER henry PASSWORD 'old'");
            node.execute("CREATE USER root2 SUPERUSER PASSWORD 'r'");
            SessionState henry = node.db().engine().session("henry");
            assertState(SqlState.INSUFFICIENT_PRIVILEGE, () -> node.await(henry.execute("CREATE ROLE ivan", new Object[0])));
            assertState(SqlState.INSUFFICIENT_PRIVILEGE, () -> node.await(henry.execute("ALTER ROLE henry SUPERUSER", new Object[0])));
            assertState(SqlState.INSUFFICIENT_PRIVILEGE, () -> node.await(henry.execute("ALTER ROLE root2 PASSWORD 'x'", new Object[0])));
            assertState(SqlState.INSUFFICIENT_PRIVILEGE, () -> node.await(henry.execute("DROP ROLE root2", new Object[0])));
            assertFalse(node.db().security().role("ivan").isPresent(), "a refused statement changes nothing");
            assertFalse(node.db().security().isSuperuser("henry"));
            node.await(henry.execute("ALTER ROLE henry WITH PASSWORD 'new'", new Object[0]));
            assertTrue(node.db().security().authenticate("henry", "new"));
            SessionState root = node.db().engine().session("root2");
            node.await(root.execute("CREATE ROLE ivan", new Object[0]));
            assertTrue(node.db().security().role("ivan").isPresent(), "a superuser role may");
            assertState(SqlState.OBJECT_IN_USE, () -> node.await(root.execute("DROP ROLE root2", new Object[0])));
        }
    }

    @Test
    void roleStatementsAreRefusedInsideATransactionBlock() {
        try (TestNode node = new TestNode(dir, CONFIG)) {
            SessionState s = node.db().engine().session();
            node.await(s.execute("BEGIN", new Object[0]));
            assertState(SqlState.ACTIVE_SQL_TRANSACTION, () -> node.await(s.execute("CREATE ROLE jack", new Object[0])));
            assertEquals(SessionState.Status.FAILED, s.status());
            node.await(s.execute("ROLLBACK", new Object[0]));
            assertFalse(node.db().security().role("jack").isPresent());
        }
    }

    @Test
    void bootstrapAdminIsCreatedOnceWithTheConfiguredPassword() {
        try (TestNode node = new TestNode(dir, Map.of("phantom.security.admin-user", "root",
                "phantom.security.admin-password", "configured-pw"))) {
            Security security = node.db().security();
            assertTrue(security.isSuperuser("root"));
            assertTrue(security.authenticate("root", "configured-pw"));
            assertEquals(10, security.role("root").orElseThrow().oid());
            assertEquals(1, security.roles().size());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertFalse(node.await(security.bootstrap(new PrintStream(out, true, StandardCharsets.UTF_8))),
                    "a second bootstrap finds the role");
            assertEquals("", out.toString(StandardCharsets.UTF_8), "and prints nothing");
            node.restart();
            assertTrue(node.db().security().authenticate("root", "configured-pw"));
            assertEquals(1, node.db().security().roles().size(), "the restart created no second admin");
        }
    }

    @Test
    void generatedBootstrapPasswordIsPrintedOnceAndWorks() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        TestNode node;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            node = new TestNode(dir);
        } finally {
            System.setOut(original);
        }
        try (node) {
            String printed = captured.toString(StandardCharsets.UTF_8);
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("created superuser 'phantom' with password '([A-Za-z0-9]{24})'").matcher(printed);
            assertTrue(m.find(), printed);
            assertTrue(node.db().security().authenticate("phantom", m.group(1)));
            captured.reset();
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                node.restart();
            } finally {
                System.setOut(original);
            }
            assertFalse(captured.toString(StandardCharsets.UTF_8).contains("created superuser"), "printed once only");
            assertTrue(node.db().security().authenticate("phantom", m.group(1)));
        }
    }

    static void assertState(SqlState expected, Runnable statement) {
        PhantomSqlException e = assertThrows(PhantomSqlException.class, statement::run);
        assertEquals(expected, e.state(), e.getMessage());
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
