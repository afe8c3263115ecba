package io.phantomdb.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phantomdb.PhantomDb;
import io.phantomdb.Row;
import io.phantomdb.Session;
import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.testkit.TestNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: SERIALIZABLE transactions keep a bank's invariant under contention (issue 5): money is neither
 * created nor lost, no balance goes negative, every reader sees a consistent total, and lock cycles are
 * broken by the deadlock detector (40P01) rather than by the lock timeout.
 *
 * <p>Method: {@value #ACCOUNTS} accounts of {@value #INITIAL} in a 4-partition table (transfers usually cross
 * partitions). {@value #TRANSFER_CLIENTS} clients, each with its own Session, run read-then-write transfers
 * between random pairs (source updated first, so lock orders oppose) for {@link #RUN} (longer, up to
 * {@link #RUN_MAX}, on a machine too loaded to commit {@value #COMMITTED_MIN} by then), retrying on retryable
 * errors after a rollback and keeping a ledger of what committed; the new balances are computed from the
 * values read (SET balance = $1), so a lost update or write skew would change the total. {@value #AUDITORS}
 * auditors read the sum, minimum and count in SERIALIZABLE or REPEATABLE READ transactions. At the end the
 * table must equal the initial balances plus the ledgers.
 */
class BankInvariantTest {
    static final int ACCOUNTS = 10;
    static final int INITIAL = 1000;
    static final int TRANSFER_CLIENTS = 16;
    static final int AUDITORS = 4;
    static final Duration RUN = Duration.ofSeconds(20);
    /**
     * If fewer than {@link #COMMITTED_MIN} transfers committed within {@link #RUN} (a loaded machine), the
     * clients go on until they have, or until this much time has passed; the rate is printed either way.
     */
    static final Duration RUN_MAX = Duration.ofSeconds(60);
    /** Bound on each client's loop besides {@link #RUN}. */
    static final int TRANSFERS_PER_CLIENT_MAX = 2000;
    /** Attempts of one transfer before the client gives up on it (counted; liveness is asserted separately). */
    static final int ATTEMPTS_MAX = 100;
    /** No statement may take longer (the lock timeout is 10 s; a deadlock must be broken well within it). */
    static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(30);
    /** Auditors pause between reads so that they observe the run rather than starve the transfers of CPU. */
    static final Duration AUDIT_PAUSE = Duration.ofMillis(5);
    /** Fewer committed transfers than this in {@link #RUN} means the system barely makes progress. */
    static final int COMMITTED_MIN = 100;

    record Transfer(int from, int to, int amount) {}

    /** Everything the clients observed; shared by all threads. */
    static final class Tally {
        final ConcurrentLinkedQueue<Transfer> ledger = new ConcurrentLinkedQueue<>();
        final Map<SqlState, LongAdder> retries = new ConcurrentHashMap<>();
        final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        final LongAdder attempts = new LongAdder();
        final LongAdder insufficient = new LongAdder();
        final LongAdder gaveUp = new LongAdder();
        final LongAdder audits = new LongAdder();
        final AtomicLong firstErrorLogged = new AtomicLong();

        long retries(SqlState state) {
            LongAdder n = retries.get(state);
            return n == null ? 0 : n.sum();
        }

        void error(String where, Throwable e) {
            String key = e instanceof PhantomSqlException p ? p.state().code() : e.getClass().getSimpleName();
            errors.computeIfAbsent(key, k -> new LongAdder()).increment();
            if (firstErrorLogged.getAndIncrement() < 5) {
                System.out.println(where + ": " + e);
            }
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void transfersKeepTheTotalAndEveryReaderSeesIt(@TempDir Path dir) throws Exception {
        try (TestNode node = new TestNode(dir, Map.of("phantom.txn.lock-timeout", "10 s",
                "phantom.txn.deadlock-check-interval", "50 ms"))) {
            PhantomDb db = node.db();
            node.execute("create table accounts (id int primary key, balance int) with (partitions = 4)");
            for (int id = 0; id < ACCOUNTS; id++) {
                node.execute("insert into accounts (id, balance) values ($1, $2)", id, INITIAL);
            }
            Tally tally = new Tally();
            long started = System.nanoTime();
            Window deadline = new Window(started + RUN.toNanos(), started + RUN_MAX.toNanos(), tally);
            ExecutorService pool = Executors.newFixedThreadPool(TRANSFER_CLIENTS + AUDITORS);
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < TRANSFER_CLIENTS; c++) {
                clients.add(pool.submit(() -> transfers(db, tally, deadline)));
            }
            for (int a = 0; a < AUDITORS; a++) {
                String level = a % 2 == 0 ? "serializable" : "repeatable read";
                clients.add(pool.submit(() -> audits(db, tally, deadline, level)));
            }
            pool.shutdown();
            for (Future<?> f : clients) {
                f.get(RUN_MAX.plus(STATEMENT_TIMEOUT.multipliedBy(2)).toSeconds(), TimeUnit.SECONDS);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            Map<Integer, Long> balances = balances(db);
            report(tally, seconds, balances);
            check(tally, balances);
        }
    }

    /** When the clients stop: after {@code end} once enough transfers committed, at {@code hardEnd} in any case. */
    record Window(long end, long hardEnd, Tally tally) {
        boolean open() {
            long now = System.nanoTime();
            return now < end || (now < hardEnd && tally.ledger.size() < COMMITTED_MIN);
        }
    }

    private static void transfers(PhantomDb db, Tally tally, Window deadline) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        try (Session s = db.session()) {
            for (int done = 0; done < TRANSFERS_PER_CLIENT_MAX && deadline.open(); done++) {
                int from = random.nextInt(ACCOUNTS);
                int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                Transfer t = new Transfer(from, to, 1 + random.nextInt(100));
                attempt(s, tally, () -> transfer(s, t, tally), "transfer " + t);
            }
        }
    }

    private interface Attempt {
        void run();
    }

    /** Runs {@code body} until it succeeds, retrying retryable errors after a rollback; other errors are counted. */
    private static void attempt(Session s, Tally tally, Attempt body, String what) {
        for (int attempt = 1; attempt <= ATTEMPTS_MAX; attempt++) {
            tally.attempts.increment();
            try {
                body.run();
                return;
            } catch (PhantomSqlException e) {
                await(s.execute("rollback"));
                if (!e.state().retryable()) {
                    tally.error(what, e);
                    return;
                }
                tally.retries.computeIfAbsent(e.state(), k -> new LongAdder()).increment();
            } catch (RuntimeException e) {
                tally.error(what, e); // a timeout or a bug: the session may be stuck, so stop using it
                throw e;
            }
        }
        tally.gaveUp.increment();
    }

    /** One SERIALIZABLE transfer; records it in the ledger only once its COMMIT succeeded. */
    private static void transfer(Session s, Transfer t, Tally tally) {
        await(s.execute("begin isolation level serializable"));
        long from = balance(s, t.from(), tally);
        long to = balance(s, t.to(), tally);
        if (from < t.amount()) {
            tally.insufficient.increment();
            await(s.execute("commit"));
            return;
        }
        await(s.execute("update accounts set balance = $1 where id = $2", (int) (from - t.amount()), t.from()));
        await(s.execute("update accounts set balance = $1 where id = $2", (int) (to + t.amount()), t.to()));
        await(s.execute("commit"));
        tally.ledger.add(t);
    }

    private static long balance(Session s, int id, Tally tally) {
        List<Row> rows = await(s.query("select balance from accounts where id = $1", id));
        if (rows.size() != 1) {
            tally.violations.add("account " + id + " read as " + rows.size() + " rows");
            throw new IllegalStateException("account " + id + " missing");
        }
        long balance = ((Number) rows.get(0).get(0)).longValue();
        if (balance < 0) {
            tally.violations.add("transfer read account " + id + " = " + balance);
        }
        return balance;
    }

    private static void audits(PhantomDb db, Tally tally, Window deadline, String level) {
        try (Session s = db.session()) {
            while (deadline.open()) {
                attempt(s, tally, () -> {
                    await(s.execute("begin isolation level " + level));
                    Row r = await(s.query("select sum(balance), min(balance), count(*) from accounts")).get(0);
                    await(s.execute("commit"));
                    long sum = ((Number) r.get(0)).longValue();
                    long min = ((Number) r.get(1)).longValue();
                    long count = ((Number) r.get(2)).longValue();
                    if (sum != (long) ACCOUNTS * INITIAL || min < 0 || count != ACCOUNTS) {
                        tally.violations.add(level + " audit read sum " + sum + ", min " + min + ", count " + count);
                    }
                    tally.audits.increment();
                }, "audit at " + level);
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(AUDIT_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<Integer, Long> balances(PhantomDb db) {
        Map<Integer, Long> out = new TreeMap<>();
        for (Row r : await(db.query("select id, balance from accounts"))) {
            out.put(((Number) r.get(0)).intValue(), ((Number) r.get(1)).longValue());
        }
        return out;
    }

    private static void report(Tally tally, double seconds, Map<Integer, Long> balances) {
        long committed = tally.ledger.size();
        System.out.printf("bank: %d transfers committed in %.1f s (%.0f/s), %d skipped for insufficient funds, %d attempts,"
                        + " %d given up; retries %s; other errors %s; %d audits; final balances %s%n",
                committed, seconds, committed / seconds, tally.insufficient.sum(), tally.attempts.sum(), tally.gaveUp.sum(),
                counts(tally.retries), counts(tally.errors), tally.audits.sum(), balances);
    }

    private static <K> Map<String, Long> counts(Map<K, LongAdder> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k instanceof SqlState s ? s.code() : String.valueOf(k), v.sum()));
        return out;
    }

    private static void check(Tally tally, Map<Integer, Long> balances) {
        Map<Integer, Long> expected = new TreeMap<>();
        for (int id = 0; id < ACCOUNTS; id++) {
            expected.put(id, (long) INITIAL);
        }
        for (Transfer t : tally.ledger) {
            expected.merge(t.from(), (long) -t.amount(), Long::sum);
            expected.merge(t.to(), (long) t.amount(), Long::sum);
        }
        List<String> v = List.copyOf(tally.violations);
        assertTrue(v.isEmpty(), v.size() + " invariant violations, first: " + v.subList(0, Math.min(10, v.size())));
        assertTrue(tally.errors.isEmpty(), "errors other than 40001/40P01 (55P03 = lock timeout: deadlocks not broken"
                + " by the detector?): " + counts(tally.errors));
        assertEquals((long) ACCOUNTS * INITIAL, balances.values().stream().mapToLong(Long::longValue).sum(), "final total");
        assertEquals(expected, balances, "final balances = initial + committed transfers of the ledgers");
        assertTrue(tally.ledger.size() >= COMMITTED_MIN, "only " + tally.ledger.size() + " transfers committed in " + RUN_MAX);
        assertTrue(tally.audits.sum() > 0, "no audit completed");
        assertTrue(tally.retries(SqlState.DEADLOCK_DETECTED) > 0,
                "no deadlock was detected (40P01) although transfers lock account pairs in opposite orders; retries: "
                        + counts(tally.retries));
    }

    /** Waits at most {@link #STATEMENT_TIMEOUT}; SQL errors are rethrown unwrapped. */
    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(STATEMENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("a statement did not finish within " + STATEMENT_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
