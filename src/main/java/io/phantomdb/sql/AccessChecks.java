package io.phantomdb.sql;

import io.phantomdb.catalog.CatalogSnapshot;
import io.phantomdb.catalog.TableDef;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.security.Privilege;
import io.phantomdb.security.Security;
import io.phantomdb.sql.ddl.Analyze;
import io.phantomdb.sql.ddl.CreateIndex;
import io.phantomdb.sql.ddl.CreateTable;
import io.phantomdb.sql.ddl.CreateView;
import io.phantomdb.sql.ddl.DdlStatement;
import io.phantomdb.sql.ddl.DropIndex;
import io.phantomdb.sql.ddl.DropTable;
import io.phantomdb.sql.ddl.DropView;
import java.util.List;

/**
 * What a statement of a role needs before it runs (docs/security.md "What is checked"), checked against
 * {@link Security}; a missing privilege throws 42501 and the statement does not start, so it changes nothing.
 * <pre>
 *   query, EXPLAIN           SELECT on every table read (views: on the tables under them)
 *   INSERT/UPDATE/DELETE     that privilege on the target, SELECT on every table read (UPDATE/DELETE read the
 *                            target when WHERE or SET refers to its columns; TablesRead)
 *   CREATE TABLE/VIEW        CREATE on schema public
 *   DROP, CREATE/DROP INDEX, ownership of the table (view); ANALYZE without a table list: superuser
 *   ANALYZE t, OR REPLACE
 *   sagas                    superuser (saga steps run as the node)
 * </pre>
 * Objects that do not exist are left to the statement, which reports them as usual (42P01).
 */
final class AccessChecks {
    private AccessChecks() {}

    /** Checks a compiled statement for {@code role}; null is the implicit superuser (no check). */
    static void check(Security security, String role, Prepared prepared, CatalogSnapshot catalog) {
        if (role == null || security.isSuperuser(role)) {
            return;
        }
        if (security.role(role).isEmpty()) {
            throw new PhantomSqlException(SqlState.INSUFFICIENT_PRIVILEGE, "role \"" + role + "\" does not exist any more");
        }
        if (prepared.kind() == Prepared.Kind.DDL) {
            ddl(security, role, prepared.ddl(), catalog);
            return;
        }
        if (prepared.dml() != null) { // DML, or EXPLAIN of DML (PostgreSQL checks EXPLAIN as the statement)
            Privilege needed = switch (prepared.dml().operation()) {
                case INSERT -> Privilege.INSERT;
                case UPDATE -> Privilege.UPDATE;
                case DELETE -> Privilege.DELETE;
            };
            security.checkTables(role, List.of(prepared.dml().table().name()), needed);
        }
        security.checkTables(role, sorted(prepared.tablesRead()), Privilege.SELECT);
    }

    private static void ddl(Security security, String role, DdlStatement statement, CatalogSnapshot catalog) {
        if (statement instanceof CreateTable) {
            security.checkSchema(role, Privilege.CREATE);
        } else if (statement instanceof CreateView s) {
            security.checkSchema(role, Privilege.CREATE);
            if (s.orReplace() && catalog.view(s.name()) != null) {
                security.checkOwner(role, s.name(), "view");
            }
        } else if (statement instanceof DropTable s) {
            s.names().stream().filter(n -> catalog.table(n) != null).forEach(n -> security.checkOwner(role, n, "table"));
        } else if (statement instanceof DropView s) {
            s.names().stream().filter(n -> catalog.view(n) != null).forEach(n -> security.checkOwner(role, n, "view"));
        } else if (statement instanceof CreateIndex s) {
            if (catalog.table(s.table()) != null) {
                security.checkOwner(role, s.table(), "table");
            }
        } else if (statement instanceof DropIndex s) {
            for (String index : s.names()) {
                TableDef table = catalog.tableOfIndex(index);
                if (table != null && !security.owns(role, table.name())) {
                    throw new PhantomSqlException(SqlState.INSUFFICIENT_PRIVILEGE, "must be owner of index " + index);
                }
            }
        } else if (statement instanceof Analyze s) {
            if (s.tables().isEmpty()) {
                security.checkSuperuser(role, "ANALYZE every table; name the tables you own");
            }
            s.tables().stream().filter(n -> catalog.table(n) != null).forEach(n -> security.checkOwner(role, n, "table"));
        }
    }

    /** Sagas run their steps as the node, so only superusers may define, start or inspect them. */
    static void checkSaga(Security security, String role) {
        if (role != null) {
            security.checkSuperuser(role, "define, start or inspect sagas (docs/security.md)");
        }
    }

    private static List<String> sorted(java.util.Set<String> tables) {
        return tables.stream().sorted().toList(); // the first denied table in name order: stable messages
    }
}
