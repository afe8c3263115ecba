package io.phantomdb.server.pgcatalog;

import io.phantomdb.PhantomDb;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The PostgreSQL catalog face of a Phantom-DB node (docs/pg-catalog.md). The wire layer offers every statement
 * to {@link #recognize} before the SQL engine:
 * <ul>
 *   <li>session settings: SET / RESET / SHOW, {@code set_config}, {@code current_setting};</li>
 *   <li>probes: {@code SELECT version()}, {@code current_schema()}, {@code current_database()}, {@code current_user}...;</li>
 *   <li>the catalog queries of psql 15 (\d, \dt, \di, \dv, \dn, \du, \l, \d name, \d+ name) and of pgjdbc 42.7
 *       (DatabaseMetaData getTables, getColumns, getPrimaryKeys, getIndexInfo, getSchemas, getCatalogs,
 *       getTypeInfo, ResultSetMetaData), answered from the current catalog snapshot and roles.</li>
 * </ul>
 * Other queries of {@code pg_catalog} / {@code information_schema} are claimed too, and fail with 0A000 naming
 * the query, rather than reaching the engine and failing obscurely (or worse, matching a user table).
 * Transaction statements, roles, GRANT and every query on user tables are never claimed.
 *
 * <p>Thread-safe and stateless: one instance serves every connection; per-connection state is the
 * {@link PgSessionSettings} passed to each run.
 */
public final class PgCatalog {
    /** Names of PostgreSQL catalog relations a query may use unqualified; such queries are claimed (0A000). */
    private static final Pattern CATALOG_NAMES = Pattern.compile("\\b(pg_catalog|information_schema)\\s*\\.|"
            + "\\bfrom\\s+(pg_(class|namespace|attribute|attrdef|type|index|indexes|roles|authid|auth_members|database|"
            + "settings|proc|constraint|description|am|tables|views|user|stat_activity|tablespace|collation|"
            + "extension|sequence|sequences|matviews|trigger|rewrite|inherits|locks|shadow|group))\\b");

    private final PhantomDb db;
    private final ModelSource models;

    public PgCatalog(PhantomDb db) {
        this.db = db;
        this.models = settings -> new CatalogModel(this.db.engine().catalogSnapshot(), this.db.security().roles(),
                settings.user(), this.db.security()::owner);
    }

    /**
     * The statement as a catalog query, or empty when it belongs to the SQL engine (including empty statements).
     * Throws {@link PhantomSqlException} 0A000 for a catalog query Phantom-DB cannot answer, and 42601 for a
     * malformed SET; both before anything runs.
     */
    public Optional<CatalogQuery> recognize(String sql) {
        if (sql == null || sql.isBlank()) {
            return Optional.empty();
        }
        if (sql.length() <= Tokens.TEXT_LENGTH_MAX) {
            List<Tokens.Token> tokens = tokens(sql);
            Optional<CatalogQuery> found = SettingStatements.recognize(tokens);
            if (found.isEmpty()) {
                found = Probes.recognize(tokens);
            }
            if (found.isPresent()) {
                return found;
            }
        }
        QueryText q = new QueryText(sql);
        Optional<CatalogQuery> found = PsqlLists.recognize(q, models);
        if (found.isEmpty()) {
            found = PsqlDescribe.recognize(q, models);
        }
        if (found.isEmpty()) {
            found = JdbcTables.recognize(q, models);
        }
        if (found.isEmpty()) {
            found = JdbcMisc.recognize(q, models);
        }
        if (found.isEmpty() && CATALOG_NAMES.matcher(q.text().toLowerCase(Locale.ROOT)).find()) {
            throw new PhantomSqlException(SqlState.FEATURE_NOT_SUPPORTED, "catalog query not supported by Phantom-DB: "
                    + q.head() + " (see docs/pg-catalog.md for the catalog queries it answers)");
        }
        return found;
    }

    /** The tokens, or none when the text does not lex (an unterminated quote): the engine reports that error. */
    private static List<Tokens.Token> tokens(String sql) {
        try {
            return Tokens.of(sql);
        } catch (PhantomSqlException e) {
            return List.of();
        }
    }
}
