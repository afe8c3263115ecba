package io.phantomdb.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Command-line settings of {@link TxnBench}; see {@link #USAGE}. */
final class TxnBenchConfig extends RunOptions {

    static final List<String> ALL_ENGINES = List.of("phantom", "postgres", "sqlite", "h2");
    static final List<String> ALL_KEYSPACES = List.of("uniform", "hot");
    static final List<String> ISOLATIONS = List.of("read-committed", "repeatable-read", "serializable");

    static final String USAGE = String.join("\n",
            "usage: TxnBench [options]",
            "  --quick                 smoke run: 1 s phases, 0.5 s warm-up, 1 repeat (about 2-3 minutes)",
            "  --rows N                rows in the table; the uniform key space (default 10000)",
            "  --hot-rows N            the hot key space: ids 0..N-1 of the same table (default 100)",
            "  --txn-rows LIST         rows updated per transaction, one UPDATE by primary key each (default 1,10)",
            "  --threads LIST          client threads (default 1,8,32); the hot key space runs only above 1 thread",
            "  --keyspaces LIST        uniform,hot (default both)",
            "  --engines LIST          phantom,postgres,sqlite,h2 (default all; an engine that cannot open, e.g.",
            "                          PostgreSQL when it is not installed, is skipped with the reason)",
            "  --phantom-partitions LIST  partitions of Phantom's table; each value runs one Phantom side by side",
            "                          (default 1,4: single-partition commits, and cross-partition ones)",
            "  --key-order ORDER       random: a transaction's keys in drawn order, so concurrent multi-row",
            "                          transactions can deadlock (default); sorted: ascending, deadlock-free",
            "  --isolation LEVEL       read-committed (default; Phantom's and PostgreSQL's default),",
            "                          repeatable-read or serializable; SQLite is always serializable",
            "  --retries-max N         retries of one transaction after retryable errors before the phase fails",
            "                          (default 1000)",
            "  --pg-bin DIR            PostgreSQL's bin dir (default: the dir of pg_ctl on PATH, else",
            "                          /usr/lib/postgresql/<newest>/bin)",
            "  --pg-os-user NAME       OS user that runs PostgreSQL when this runs as root (default postgres)",
            String.format(COMMON_USAGE, "5", "txn"));

    int rows = 10_000;
    int hotRows = 100;
    int[] txnRows = {1, 10};
    int[] threads = {1, 8, 32};
    List<String> keyspaces = new ArrayList<>(ALL_KEYSPACES);
    List<String> engines = new ArrayList<>(ALL_ENGINES);
    /** One partition: every commit writes one partition engine; 4: a 10-row commit spans partitions. */
    int[] phantomPartitions = {1, 4};
    String isolation = "read-committed";
    /** Keys of a multi-row transaction in ascending order (no deadlocks) rather than as drawn. */
    boolean sortedKeys;
    int retriesMax = 1000;
    Path pgBin;
    String pgOsUser = "postgres";
    /** Rows per INSERT statement / transaction during the load (not timed against anything). */
    final int loadBatch = 500;

    TxnBenchConfig() {
        // 5 engines x 10 timed rows x (2 + 5) s is about 6 minutes a repeat; --repeats 3 about 20 minutes.
        seconds = 5;
    }

    static TxnBenchConfig parse(String[] argv) {
        TxnBenchConfig c = new TxnBenchConfig();
        if (c.start(argv)) {
            c.seconds = 1;
        }
        c.parseAll(argv);
        if (c.rows < 1 || c.hotRows < 1 || c.hotRows > c.rows || !c.commonInRange() || c.retriesMax < 0
                || c.txnRows.length == 0 || Arrays.stream(c.txnRows).anyMatch(n -> n < 1 || n > c.hotRows)
                || c.threads.length == 0 || Arrays.stream(c.threads).anyMatch(t -> t < 1)
                || c.phantomPartitions.length == 0 || Arrays.stream(c.phantomPartitions).anyMatch(p -> p < 1)) {
            throw new UsageException("out of range: 1 <= hot-rows <= rows, 1 <= txn-rows <= hot-rows, threads >= 1, "
                    + "partitions >= 1, retries-max >= 0, repeats >= 1, seconds > 0, warmup >= 0");
        }
        return c;
    }

    @Override
    int parseOwn(String[] argv, int i) {
        String a = argv[i];
        switch (a) {
            case "--rows" -> rows = Integer.parseInt(value(argv, ++i, a));
            case "--hot-rows" -> hotRows = Integer.parseInt(value(argv, ++i, a));
            case "--txn-rows" -> txnRows = ints(value(argv, ++i, a));
            case "--threads" -> threads = ints(value(argv, ++i, a));
            case "--keyspaces" -> keyspaces = names(value(argv, ++i, a), ALL_KEYSPACES, a);
            case "--engines" -> engines = names(value(argv, ++i, a), ALL_ENGINES, a);
            case "--phantom-partitions" -> phantomPartitions = ints(value(argv, ++i, a));
            case "--isolation" -> {
                List<String> level = names(value(argv, ++i, a), ISOLATIONS, a);
                if (level.size() != 1) {
                    throw new UsageException(a + " takes one of " + ISOLATIONS);
                }
                isolation = level.get(0);
            }
            case "--key-order" -> sortedKeys = names(value(argv, ++i, a), List.of("random", "sorted"), a)
                    .equals(List.of("sorted"));
            case "--retries-max" -> retriesMax = Integer.parseInt(value(argv, ++i, a));
            case "--pg-bin" -> pgBin = Path.of(value(argv, ++i, a));
            case "--pg-os-user" -> pgOsUser = value(argv, ++i, a);
            default -> {
                return -1;
            }
        }
        return i;
    }

    /** Size of a key space: all rows, or the hot ids 0..hotRows-1. */
    int keys(String keyspace) {
        return keyspace.equals("hot") ? hotRows : rows;
    }

    /** The isolation level in SQL ("READ COMMITTED"). */
    String isolationSql() {
        return isolation.replace('-', ' ').toUpperCase(Locale.ROOT);
    }

    String describe() {
        return String.format(Locale.ROOT,
                "%s: %,d-row table, transactions of %s UPDATE(s) by primary key on %s threads, key spaces %s "
                        + "(hot = %,d rows), keys in %s order, %s, %s s timed phases after %s s warm-up, %d repeat%s, "
                        + "seed %d",
                quick ? "quick" : "full", rows, Arrays.toString(txnRows), Arrays.toString(threads), keyspaces, hotRows,
                sortedKeys ? "ascending" : "random", isolationSql(), trim(seconds), trim(warmup), repeats,
                repeats == 1 ? "" : "s", seed);
    }
}
