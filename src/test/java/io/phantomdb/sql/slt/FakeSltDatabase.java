package io.phantomdb.sql.slt;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A stand-in engine for testing the runner: every SQL text the test cares about maps to a canned
 * {@link Answer}. A statement without an answer succeeds (scripts are full of set-up statements); a query
 * without one fails, so a typo in a test shows up as a failure rather than a pass.
 */
final class FakeSltDatabase implements SltDatabase {

    /** What the fake does for one SQL text: return rows, throw, or take its time. */
    @FunctionalInterface
    interface Answer {
        List<Object[]> answer() throws Exception;
    }

    private final Map<String, Answer> answers;
    /** Every SQL text received, in order; shared by the instances of one {@link #factory}. */
    private final List<String> calls;
    private volatile boolean closed;

    FakeSltDatabase(Map<String, Answer> answers, List<String> calls) {
        this.answers = answers;
        this.calls = calls;
    }

    /** A factory whose databases share {@code answers}; each one made is added to {@code made}. */
    static Supplier<SltDatabase> factory(Map<String, Answer> answers, List<String> calls,
            List<FakeSltDatabase> made) {
        return () -> {
            FakeSltDatabase db = new FakeSltDatabase(answers, calls);
            made.add(db);
            return db;
        };
    }

    /** A factory for tests that need neither the calls nor the instances. */
    static Supplier<SltDatabase> factory(Map<String, Answer> answers) {
        return factory(answers, new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
    }

    static Object[] row(Object... values) {
        return values;
    }

    /** Rows given one array per row. */
    static Answer rows(Object[]... rows) {
        List<Object[]> list = new ArrayList<>(Arrays.asList(rows));
        return () -> list;
    }

    /** A single-column result. */
    static Answer column(Object... values) {
        List<Object[]> list = new ArrayList<>();
        for (Object v : values) {
            list.add(new Object[] {v});
        }
        return () -> list;
    }

    static Answer fails(String message) {
        return () -> {
            throw new SQLException(message);
        };
    }

    /** Sleeps (interruptibly, as a well-behaved engine call would) and then succeeds with no rows. */
    static Answer sleeps(Duration time) {
        return () -> {
            Thread.sleep(time.toMillis());
            return List.of();
        };
    }

    @Override
    public void execute(String sql) throws Exception {
        calls.add(sql);
        Answer a = answers.get(sql);
        if (a != null) {
            a.answer();
        }
    }

    @Override
    public List<Object[]> query(String sql) throws Exception {
        calls.add(sql);
        Answer a = answers.get(sql);
        if (a == null) {
            throw new SQLException("fake has no answer for: " + sql);
        }
        return a.answer();
    }

    @Override
    public void close() {
        closed = true;
    }

    boolean closed() {
        return closed;
    }
}
