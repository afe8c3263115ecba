package io.phantomdb.server.pgwire;

import io.phantomdb.Column;
import io.phantomdb.catalog.DataType;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.server.pgcatalog.CatalogQuery;
import io.phantomdb.server.pgcatalog.PgCatalog;
import io.phantomdb.server.pgcatalog.PgTypes;
import io.phantomdb.sql.Prepared;
import io.phantomdb.sql.SessionState;
import io.phantomdb.sql.SqlEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One statement as the wire layer sees it after Parse (or one statement of a simple query): where it runs, its
 * parameter types (one per {@code $n}) and result columns, known before it runs so Describe can answer.
 *
 * <ul>
 *   <li>{@link Route#CATALOG}: claimed by {@link PgCatalog} (pg_catalog queries, SET/SHOW of settings).</li>
 *   <li>{@link Route#QUERY}: a query or EXPLAIN the engine compiled; streamed from the session.</li>
 *   <li>{@link Route#COMMAND}: DML, DDL, transaction control, saga and other statements the session runs
 *       itself; their update count makes the command tag. A statement the engine cannot compile is a COMMAND
 *       too: the session reports the error when it runs, so a failed statement fails the open block exactly as
 *       in PostgreSQL.</li>
 * </ul>
 * Immutable, but for a memo of its result fields ({@link #fields}).
 */
final class PgStatement {
    enum Route { CATALOG, QUERY, COMMAND }

    /**
     * First words of statements the session runs without the engine's compiler (besides {@link
     * SessionState#isSessionStatement}): SET and SHOW the catalog did not claim are transaction settings, and a
     * malformed BEGIN or COMMIT gets its error from the session, which also fails an open block.
     */
    private static final Set<String> SESSION_WORDS = Set.of("BEGIN", "START", "COMMIT", "END", "ABORT", "ROLLBACK",
            "SAVEPOINT", "RELEASE", "SET", "SHOW");
    /** Statements that end a transaction block: every open portal is closed first, as PostgreSQL does. */
    private static final Set<String> ENDING_WORDS = Set.of("COMMIT", "END", "ABORT", "ROLLBACK", "PREPARE");

    /** An empty query string: Execute answers EmptyQueryResponse. */
    static final PgStatement EMPTY = new PgStatement("", Route.COMMAND, null, null, List.of(), new int[0], List.of());

    final String sql;
    final Route route;
    final CatalogQuery catalog;
    /** The compiled statement (QUERY, and COMMAND DML/DDL); null for session statements and compile errors. */
    final Prepared prepared;
    /** One type per {@code $n}; null when not known (the session will report the compile error). */
    final List<DataType> parameterTypes;
    final int[] declaredOids;
    final List<Column> columns;
    final List<String> words;

    private PgStatement(String sql, Route route, CatalogQuery catalog, Prepared prepared, List<DataType> parameterTypes,
            int[] declaredOids, List<Column> columns) {
        this.sql = sql;
        this.route = route;
        this.catalog = catalog;
        this.prepared = prepared;
        this.parameterTypes = parameterTypes;
        this.declaredOids = declaredOids;
        this.columns = columns;
        this.words = CommandTags.leadingWords(sql, 4);
    }

    /** Analyses {@code sql}; {@code declaredOids} are the types Parse gave (0 or missing: unspecified). */
    static PgStatement analyse(String sql, int[] declaredOids, PgCatalog pgCatalog, SqlEngine engine) {
        java.util.Optional<CatalogQuery> claimed = pgCatalog.recognize(sql);
        if (claimed.isPresent()) {
            CatalogQuery q = claimed.get();
            return new PgStatement(sql, Route.CATALOG, q, null, q.parameterTypes(), declaredOids, q.columns());
        }
        List<String> words = CommandTags.leadingWords(sql, 2);
        String first = words.isEmpty() ? "" : words.get(0);
        if (SessionState.isSessionStatement(sql) || SESSION_WORDS.contains(first)) {
            List<Column> columns = List.of();
            if (first.equals("SHOW") && words.size() > 1) { // SHOW transaction_isolation: one text column
                columns = List.of(new Column(words.get(1).toLowerCase(Locale.ROOT), DataType.VARCHAR, false));
            }
            return new PgStatement(sql, Route.COMMAND, null, null, List.of(), declaredOids, columns);
        }
        Prepared prepared;
        try {
            prepared = engine.prepare(sql);
        } catch (PhantomSqlException e) {
            return new PgStatement(sql, Route.COMMAND, null, null, null, declaredOids, List.of());
        }
        boolean query = prepared.kind() == Prepared.Kind.QUERY || prepared.kind() == Prepared.Kind.EXPLAIN;
        return new PgStatement(sql, query ? Route.QUERY : Route.COMMAND, null, prepared, parameterTypes(prepared),
                declaredOids, columns(prepared.columns()));
    }

    /** The type of each {@code $n}: the engine types each {@code ?} occurrence; $n takes its first occurrence's. */
    private static List<DataType> parameterTypes(Prepared prepared) {
        int[] positions = prepared.parameters().positions();
        DataType[] types = new DataType[prepared.parameters().count()];
        for (int i = 0; i < positions.length; i++) {
            if (types[positions[i]] == null) {
                types[positions[i]] = prepared.parameterTypes().get(i);
            }
        }
        List<DataType> out = new ArrayList<>();
        for (DataType t : types) {
            out.add(t == null ? DataType.VARCHAR : t); // a $n the text never uses: PostgreSQL calls it unknown
        }
        return out;
    }

    private static List<Column> columns(List<Prepared.ResultColumn> resultColumns) {
        List<Column> out = new ArrayList<>();
        for (Prepared.ResultColumn c : resultColumns) {
            out.add(new Column(c.name(), c.type(), c.nullable()));
        }
        return out;
    }

    /** The OIDs ParameterDescription reports: the declared type, else the inferred one. */
    int[] parameterOids() {
        int n = parameterTypes == null ? declaredOids.length : parameterTypes.size();
        int[] oids = new int[n];
        for (int i = 0; i < n; i++) {
            int declared = i < declaredOids.length ? declaredOids[i] : 0;
            oids[i] = declared != 0 || parameterTypes == null ? declared : PgTypes.oid(parameterTypes.get(i));
        }
        return oids;
    }

    int declaredOid(int i) {
        return i < declaredOids.length ? declaredOids[i] : 0;
    }

    /**
     * The RowDescription fields of this statement's result in {@code formats} (see {@link Portal#fields}). The
     * Binds of one prepared statement repeat the same formats, so the last answer is kept: one immutable memo,
     * replaced whole, so a statement shared between connections ({@link #EMPTY}) never sees a torn pair.
     */
    List<Backend.Field> fields(int[] formats) {
        FieldsMemo memo = fieldsMemo;
        if (memo != null && java.util.Arrays.equals(memo.formats(), formats)) {
            return memo.fields();
        }
        List<Backend.Field> fields = List.copyOf(Portal.fields(columns, formats));
        fieldsMemo = new FieldsMemo(formats.clone(), fields);
        return fields;
    }

    private record FieldsMemo(int[] formats, List<Backend.Field> fields) {}

    private volatile FieldsMemo fieldsMemo;

    /** COMMIT, ROLLBACK and the like: open portals are closed before it runs. */
    boolean endsBlock() {
        return route == Route.COMMAND && !words.isEmpty() && ENDING_WORDS.contains(words.get(0));
    }
}
