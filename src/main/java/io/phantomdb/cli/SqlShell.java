package io.phantomdb.cli;

import io.phantomdb.Column;
import io.phantomdb.PhantomDb;
import io.phantomdb.Row;
import io.phantomdb.Session;
import io.phantomdb.client.StatementResult;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.server.pgwire.CommandTags;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * The SQL shell of {@code phantom serve} (on the embedded database) and {@code phantom sql} (on a remote node, over
 * the reactive client): reads statements terminated by {@code ;} (they may span lines),
 * runs each against the database and prints rows as an aligned table with a row count, or the command tag
 * (PostgreSQL's, e.g. {@code INSERT 0 3}). Errors print as {@code ERROR:  <SQLSTATE>: <message>} and the
 * shell goes on. {@code \q}, {@code quit} or end of input leave. Results above {@link #DISPLAY_ROWS_MAX} rows
 * are cut (the query is cancelled, so its scans stop).
 */
final class SqlShell {
    /** Most rows printed for one query. */
    static final int DISPLAY_ROWS_MAX = 10_000;
    /** Longest one statement may run before the shell stops waiting for it. */
    static final Duration STATEMENT_WAIT_MAX = Duration.ofMinutes(10);

    /** Runs one statement and returns at most {@code maxRows} of its rows (the rest are not read). */
    interface Target {
        StatementResult run(String sql, int maxRows);
    }

    private final Target target;

    SqlShell(Target target) {
        this.target = target;
    }

    /** A shell on the embedded database: one session for the whole shell, so BEGIN ... COMMIT spans statements. */
    static SqlShell local(PhantomDb db) {
        Session session = db.session();
        return new SqlShell((sql, maxRows) -> runLocal(db, session, sql, maxRows));
    }

    void run(LineSource source) {
        StringBuilder statement = new StringBuilder();
        while (true) {
            String line = source.readLine();
            if (line == null) {
                break;
            }
            String trimmed = line.strip();
            if (statement.length() == 0 && (trimmed.equals("\\q") || trimmed.equalsIgnoreCase("quit") || trimmed.equalsIgnoreCase("exit"))) {
                break;
            }
            if (statement.length() == 0 && trimmed.equalsIgnoreCase("help")) {
                source.out().println("Type SQL statements ending with ';' (see docs/sql.md). \\q or quit leaves.");
                source.out().flush();
                continue;
            }
            statement.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String sql = statement.toString().strip();
                statement.setLength(0);
                runStatement(sql.substring(0, sql.length() - 1), source.out(), source.err());
            }
        }
    }

    /** Runs one statement and prints its rows or command tag; false when it failed (the error is printed). */
    boolean runStatement(String sql, PrintWriter out, PrintWriter err) {
        if (sql.isBlank()) {
            return true;
        }
        try {
            StatementResult result = target.run(sql, DISPLAY_ROWS_MAX);
            if (!result.columns().isEmpty()) {
                printTable(result.columns(), result.rows(), result.cut(), out);
            } else {
                out.println(result.tag());
            }
            return true;
        } catch (PhantomSqlException e) {
            err.println("ERROR:  " + e.state().code() + ": " + e.getMessage()
                    + (e.position() > 0 ? " (at character " + e.position() + ")" : ""));
            return false;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static StatementResult runLocal(PhantomDb db, Session session, String sql, int maxRows) {
        List<Column> columns = columnsOf(db, sql);
        if (!columns.isEmpty()) {
            List<Row> rows = await(session.sql(sql).take(maxRows + 1L).runWith(Sink.seq(), db.system()));
            boolean cut = rows.size() > maxRows;
            List<Row> shown = cut ? rows.subList(0, maxRows) : rows;
            return new StatementResult(columns, shown, cut ? null : "SELECT " + shown.size(), cut);
        }
        if (sql.strip().regionMatches(true, 0, "show", 0, 4)) {
            List<Row> rows = await(session.query(sql));
            return new StatementResult(rows.isEmpty() ? List.of() : rows.get(0).columns(), rows, "SHOW", false);
        }
        long n = await(session.execute(sql));
        return new StatementResult(List.of(), List.of(), CommandTags.tag(sql, null, n, null), false);
    }

    /** A SQL statement's result columns; none for transaction control (BEGIN, COMMIT, SET ...) and DML. */
    private static List<Column> columnsOf(PhantomDb db, String sql) {
        try {
            return db.describe(sql);
        } catch (PhantomSqlException e) {
            return List.of(); // not SQL the planner knows (transaction control), or an error the session reports
        }
    }

    static <T> T await(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(STATEMENT_WAIT_MAX.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = PhantomSqlException.unwrap(e);
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("statement did not finish within " + STATEMENT_WAIT_MAX, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static void printTable(List<Column> columns, List<Row> shown, boolean cut, PrintWriter out) {
        int[] widths = new int[columns.size()];
        List<String[]> cells = new ArrayList<>();
        for (int c = 0; c < widths.length; c++) {
            widths[c] = columns.get(c).name().length();
        }
        for (Row r : shown) {
            String[] line = new String[widths.length];
            for (int c = 0; c < widths.length; c++) {
                line[c] = r.isNull(c) ? "" : r.getString(c);
                widths[c] = Math.max(widths[c], line[c].length());
            }
            cells.add(line);
        }
        String[] header = columns.stream().map(Column::name).toArray(String[]::new);
        out.println(format(header, widths));
        StringBuilder rule = new StringBuilder();
        for (int c = 0; c < widths.length; c++) {
            rule.append(c == 0 ? "" : "-+-").append("-".repeat(widths[c]));
        }
        out.println(rule);
        for (String[] line : cells) {
            out.println(format(line, widths));
        }
        out.println("(" + shown.size() + (shown.size() == 1 ? " row" : " rows") + (cut ? ", cut at " + DISPLAY_ROWS_MAX : "") + ")");
    }

    private static String format(String[] values, int[] widths) {
        StringBuilder s = new StringBuilder();
        for (int c = 0; c < values.length; c++) {
            s.append(c == 0 ? "" : " | ").append(String.format("%-" + Math.max(1, widths[c]) + "s", values[c]));
        }
        return s.toString().stripTrailing();
    }
}
