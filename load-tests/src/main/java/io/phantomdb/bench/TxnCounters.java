package io.phantomdb.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the benchmark threads of one engine did since it was loaded: transaction attempts, commits, aborts
 * by retryable code, and committed row updates (which {@code SUM(val)} must equal). Thread-safe; read as
 * monotonic counters whose per-phase deltas go into the report.
 */
final class TxnCounters {

    static final String ATTEMPTS = "attempts";
    static final String COMMITS = "commits";
    static final String ABORTS = "aborts";
    static final String ROW_UPDATES = "rowUpdates";
    /** Prefix of the per-code abort counters ("abort 40P01"). */
    static final String ABORT_PREFIX = "abort ";

    private final LongAdder attempts = new LongAdder();
    private final LongAdder commits = new LongAdder();
    private final LongAdder rowUpdates = new LongAdder();
    private final Map<String, LongAdder> aborts = new ConcurrentHashMap<>();

    void attempt() {
        attempts.increment();
    }

    void committed(int rows) {
        commits.increment();
        rowUpdates.add(rows);
    }

    void aborted(String code) {
        aborts.computeIfAbsent(code, k -> new LongAdder()).increment();
    }

    long rowUpdates() {
        return rowUpdates.sum();
    }

    Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put(ATTEMPTS, attempts.sum());
        m.put(COMMITS, commits.sum());
        m.put(ROW_UPDATES, rowUpdates.sum());
        long total = 0;
        Map<String, Long> byCode = new TreeMap<>();
        for (Map.Entry<String, LongAdder> e : aborts.entrySet()) {
            long n = e.getValue().sum();
            byCode.put(ABORT_PREFIX + e.getKey(), n);
            total += n;
        }
        m.put(ABORTS, total);
        m.putAll(byCode);
        return m;
    }
}
