package io.phantomdb.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The options every benchmark main takes (phase timing, repeats, seed, where data and reports go), and the
 * parsing helpers of {@link BenchConfig} and {@link SqlBenchConfig}, which add their own options.
 */
abstract class RunOptions {

    /** Usage lines of the common options, after each main's own; {@code %s} is the report's file prefix. */
    static final String COMMON_USAGE = String.join("\n",
            "  --seconds S             measured seconds per timed phase per engine (default %s)",
            "  --warmup S              unmeasured seconds before each timed phase (default 2)",
            "  --repeats N             runs of every phase; the tables show median and min..max (default 1)",
            "  --seed N                seed of the load order and the random keys (default 42)",
            "  --dir PATH              parent of the data dirs (default java.io.tmpdir); deleted after",
            "  --keep                  keep the data dirs",
            "  --results-dir PATH      where %s-<date>.md goes (default load-tests/results or ./results)",
            "  --no-file               print the report only",
            "  --timeout-grace S       seconds a phase may overrun before the engine is declared hung (default 120)",
            "  --help");

    boolean quick;
    double seconds = 10;
    double warmup = 2;
    int repeats = 1;
    long seed = 42;
    Path dir;
    boolean keep;
    Path resultsDir;
    boolean writeFile = true;
    double timeoutGrace = 120;
    final List<String> args = new ArrayList<>();

    /** Records the arguments; true when they ask for a quick run (the subclass then shrinks its sizes). */
    boolean start(String[] argv) {
        args.addAll(Arrays.asList(argv));
        quick = args.contains("--quick");
        if (quick) {
            seconds = 2;
            warmup = 0.5;
        }
        return quick;
    }

    /**
     * Parses {@code argv[i]} if it is a common option (or {@code --quick}, handled by {@link #start}).
     *
     * @return the index of the option's last token, or -1 when it is not a common option
     */
    int parseCommon(String[] argv, int i) {
        String a = argv[i];
        switch (a) {
            case "--quick" -> { }
            case "--seconds" -> seconds = Double.parseDouble(value(argv, ++i, a));
            case "--warmup" -> warmup = Double.parseDouble(value(argv, ++i, a));
            case "--repeats" -> repeats = Integer.parseInt(value(argv, ++i, a));
            case "--seed" -> seed = Long.parseLong(value(argv, ++i, a));
            case "--dir" -> dir = Path.of(value(argv, ++i, a));
            case "--keep" -> keep = true;
            case "--results-dir" -> resultsDir = Path.of(value(argv, ++i, a));
            case "--no-file" -> writeFile = false;
            case "--timeout-grace" -> timeoutGrace = Double.parseDouble(value(argv, ++i, a));
            case "--help", "-h" -> throw new UsageException(null);
            default -> {
                return -1;
            }
        }
        return i;
    }

    /** Parses every argument: the common options here, the others with {@link #parseOwn}. */
    void parseAll(String[] argv) {
        for (int i = 0; i < argv.length; i++) {
            int last = parseCommon(argv, i);
            if (last < 0) {
                last = parseOwn(argv, i);
            }
            if (last < 0) {
                throw new UsageException("unknown option " + argv[i]);
            }
            i = last;
        }
    }

    /** Parses {@code argv[i]} if it is one of the subclass's options; same contract as {@link #parseCommon}. */
    abstract int parseOwn(String[] argv, int i);

    /** True when the common options are in range. */
    boolean commonInRange() {
        return repeats >= 1 && seconds > 0 && warmup >= 0 && timeoutGrace > 0;
    }

    static String trim(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    static String value(String[] argv, int i, String option) {
        if (i >= argv.length) {
            throw new UsageException(option + " needs a value");
        }
        return argv[i];
    }

    static int[] ints(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
    }

    static List<String> names(String list, List<String> allowed, String option) {
        List<String> out = new ArrayList<>();
        for (String s : list.split(",")) {
            String n = s.trim().toLowerCase(Locale.ROOT);
            if (n.isEmpty()) {
                continue;
            }
            if (!allowed.contains(n)) {
                throw new UsageException(option + ": unknown " + n + " (one of " + allowed + ")");
            }
            out.add(n);
        }
        return out;
    }

    /** A bad command line; a null message means --help. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
