package io.phantomdb.bench;

/**
 * Wire protocol benchmark: the same YCSB-style workloads as {@link SqlBench} (same table, same statements, same
 * driver, same answer checks), driven through pgjdbc against Phantom-DB's PostgreSQL wire protocol server (a
 * child JVM, {@link PhantomWireProcess}) and against PostgreSQL 15 (a throwaway cluster, {@link PostgresWire}),
 * both durable, both on 127.0.0.1 of this machine, in the same run: point select by primary key on 1 and 4
 * threads, 50-row range scans, ycsb-a (50/50 point select / UPDATE on zipfian ids) and single-row autocommit
 * UPDATEs (durable commits) on 1, 8 and 32 threads. Writes {@code results/wire-<date>.md}. See
 * load-tests/README.md.
 */
public final class WireBench {

    private WireBench() {}

    public static void main(String[] args) throws Exception {
        SqlBench.runAndReport(BenchRun.parseOrExit(WireBenchConfig::parse, WireBenchConfig.USAGE, args), "wire");
    }
}
