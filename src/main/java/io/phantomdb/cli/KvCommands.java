package io.phantomdb.cli;

import io.phantomdb.storage.EngineStats;
import io.phantomdb.storage.KvIterator;
import io.phantomdb.storage.WriteBatch;
import io.phantomdb.storage.key.InternalKey;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The key-value commands, shared by {@code phantom kv} and the {@code serve} shell. Each reaches its
 * engine through the parent {@link EngineAccess}. Keys and values are UTF-8 strings (bytes that are not
 * UTF-8 print with replacement characters). Results go to out, one per line; {@code scan} prints
 * {@code key<TAB>value}.
 */
final class KvCommands {

    /** Default number of entries {@code scan} prints: scans are bounded unless asked otherwise. */
    static final int SCAN_LIMIT_DEFAULT = 1000;

    private KvCommands() {}

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Command(name = "put", description = "Stores VALUE under KEY (acknowledged once durable per phantom.storage.durability).")
    static final class Put implements Callable<Integer> {
        @ParentCommand
        EngineAccess access;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Parameters(index = "1", paramLabel = "VALUE")
        String value;

        @Override
        public Integer call() {
            return access.withEngine(engine -> {
                engine.write(new WriteBatch().put(utf8(key), utf8(value)));
                spec.commandLine().getOut().println("OK");
                return PhantomMain.EXIT_OK;
            });
        }
    }

    @Command(name = "get", description = "Prints the newest value of KEY; exit code 1 when there is none.")
    static final class Get implements Callable<Integer> {
        @ParentCommand
        EngineAccess access;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Override
        public Integer call() {
            return access.withEngine(engine -> {
                byte[] value = engine.get(utf8(key));
                if (value == null) {
                    spec.commandLine().getErr().println("(not found)");
                    return PhantomMain.EXIT_NOT_FOUND;
                }
                spec.commandLine().getOut().println(text(value));
                return PhantomMain.EXIT_OK;
            });
        }
    }

    @Command(name = "delete", description = "Deletes KEY (writes a tombstone; deleting a missing key is not an error).")
    static final class Delete implements Callable<Integer> {
        @ParentCommand
        EngineAccess access;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Override
        public Integer call() {
            return access.withEngine(engine -> {
                engine.write(new WriteBatch().delete(utf8(key)));
                spec.commandLine().getOut().println("OK");
                return PhantomMain.EXIT_OK;
            });
        }
    }

    @Command(name = "scan", description = "Prints KEY<TAB>VALUE for the newest visible keys in [--from, --to), in key order.")
    static final class Scan implements Callable<Integer> {
        @ParentCommand
        EngineAccess access;

        @Spec
        CommandSpec spec;

        @Option(names = "--from", paramLabel = "KEY", description = "First key (inclusive); default: the smallest.")
        String from;

        @Option(names = "--to", paramLabel = "KEY", description = "End key (exclusive); default: unbounded.")
        String to;

        @Option(names = "--reverse", description = "Descending key order.")
        boolean reverse;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "" + SCAN_LIMIT_DEFAULT,
                description = "Most entries to print (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            if (limit < 1) {
                throw new ParameterException(spec.commandLine(), "--limit must be at least 1, got " + limit);
            }
            byte[] low = from == null ? null : utf8(from);
            byte[] high = to == null ? null : utf8(to);
            return access.withEngine(engine -> {
                PrintWriter out = spec.commandLine().getOut();
                int printed = 0;
                boolean more = false;
                try (KvIterator it = engine.scan(low, high, InternalKey.MAX_TIMESTAMP, reverse)) {
                    while (it.next()) {
                        if (printed == limit) {
                            more = true;
                            break;
                        }
                        out.println(text(it.key()) + "\t" + text(it.value()));
                        printed++;
                    }
                }
                out.flush();
                if (more) {
                    spec.commandLine().getErr().println("(stopped after " + limit + " entries; raise --limit for more)");
                }
                return PhantomMain.EXIT_OK;
            });
        }
    }

    @Command(name = "stats", description = "Prints engine statistics (segments and bytes per level, WAL, cache, compactions).")
    static final class Stats implements Callable<Integer> {
        @ParentCommand
        EngineAccess access;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return access.withEngine(engine -> {
                print(spec.commandLine().getOut(), engine.stats());
                return PhantomMain.EXIT_OK;
            });
        }

        static void print(PrintWriter out, EngineStats stats) {
            out.println("segments-per-level: " + stats.segmentsPerLevel());
            out.println("bytes-per-level: " + stats.bytesPerLevel());
            out.println("total-segments: " + stats.totalSegments());
            out.println("total-segment-bytes: " + stats.totalSegmentBytes());
            out.println("memtable-bytes: " + stats.memtableBytes());
            out.println("immutable-memtables: " + stats.immutableMemtables());
            out.println("wal-records: " + stats.walRecords());
            out.println("wal-syncs: " + stats.walSyncs());
            out.println("compactions: " + stats.compactions());
            out.println("block-cache-hits: " + stats.blockCacheHits());
            out.println("block-cache-misses: " + stats.blockCacheMisses());
            out.println("last-timestamp: " + stats.lastTimestamp());
            out.println("gc-horizon: " + stats.gcHorizon());
            out.flush();
        }
    }

    @Command(name = "compact", description = "Flushes the memtable and compacts until no level needs it (waits).")
    static final class Compact implements Callable<Integer> {
        @ParentCommand
        EngineAccess access;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return access.withEngine(engine -> {
                engine.compact();
                EngineStats stats = engine.stats();
                spec.commandLine().getOut().println("OK: " + stats.totalSegments() + " segments, "
                        + stats.totalSegmentBytes() + " bytes, per level " + stats.segmentsPerLevel());
                return PhantomMain.EXIT_OK;
            });
        }
    }
}
