package io.phantomdb.sql.slt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs sqllogictest scripts against an engine and reports pass rates
 * ({@code shared/conformance/sqllogictest/README.md}, "What our runner must do").
 *
 * <p>Files run one after the other in path order, each on a new database from the factory. Each database
 * call runs under a per-record timeout on a worker thread; the whole run has a time budget, checked before
 * every record, after which the remaining records are reported as "not run" (never as passed).
 */
public final class SltRunner {

    private final Supplier<SltDatabase> factory;
    private final String engineName;
    private final Duration budget;
    private final Duration perRecordTimeout;

    /**
     * @param factory          makes a fresh, empty database; called once per file
     * @param engineName       profile for skipif/onlyif, e.g. {@code postgresql} (primary) or {@code phantomdb}
     * @param budget           wall-clock limit for one {@link #run}
     * @param perRecordTimeout limit for one statement or query, e.g. 10 s
     */
    public SltRunner(Supplier<SltDatabase> factory, String engineName, Duration budget, Duration perRecordTimeout) {
        this.factory = Objects.requireNonNull(factory, "factory");
        this.engineName = Objects.requireNonNull(engineName, "engineName");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.perRecordTimeout = Objects.requireNonNull(perRecordTimeout, "perRecordTimeout");
        if (perRecordTimeout.isNegative() || perRecordTimeout.isZero()) {
            throw new IllegalArgumentException("perRecordTimeout must be positive: " + perRecordTimeout);
        }
    }

    /** Runs one {@code .test} file, or every {@code *.test} file under a directory, and reports. */
    public static SltReport runAll(Path root, Supplier<SltDatabase> factory, String engineName, Duration budget,
            Duration perRecordTimeout) {
        return new SltRunner(factory, engineName, budget, perRecordTimeout).run(root);
    }

    /**
     * Runs {@code root}: a single script file, reported under its file name, or a directory, whose
     * {@code *.test} files are reported under their paths relative to it ({@code index/in/10/slt_good_3.test}).
     */
    public SltReport run(Path root) {
        List<Path> files = testFiles(root);
        SltBudget clock = new SltBudget(budget);
        List<SltReport.FileReport> reports = new ArrayList<>();
        for (Path file : files) {
            reports.add(runFile(displayName(root, file), file, clock));
        }
        return new SltReport(engineName, reports, clock.exhaustedAt(), clock.elapsed());
    }

    /** Runs a script given as text, reported under {@code fileName}; for tests and ad-hoc checks. */
    public SltReport runScript(String fileName, String script) {
        SltBudget clock = new SltBudget(budget);
        SltReport.FileReport report = runRecords(fileName, SltParser.parse(script), clock);
        return new SltReport(engineName, List.of(report), clock.exhaustedAt(), clock.elapsed());
    }

    /** {@code root} itself if it is a file, else every {@code *.test} file under it, sorted by path. */
    public static List<Path> testFiles(Path root) {
        if (Files.isRegularFile(root)) {
            return List.of(root);
        }
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".test"))
                    .sorted(Comparator.comparing(p -> displayName(root, p)))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list sqllogictest files under " + root, e);
        }
    }

    private SltReport.FileReport runFile(String name, Path file, SltBudget clock) {
        List<SltRecord> records;
        try {
            records = SltParser.parse(file);
        } catch (IOException e) {
            // One unreadable file is reported; the others still run (README rule 7).
            SltFileTally tally = new SltFileTally(name);
            tally.failedFile(0, "cannot read file: " + SltMessages.describe(e));
            return tally.report();
        }
        return runRecords(name, records, clock);
    }

    private SltReport.FileReport runRecords(String name, List<SltRecord> records, SltBudget clock) {
        return new SltFileRun(name, records, factory, engineName, clock, perRecordTimeout).run();
    }

    /** Path relative to the root with '/' separators, or the file name when the root is the file. */
    static String displayName(Path root, Path file) {
        Path relative = root.equals(file) ? file.getFileName() : root.relativize(file);
        return relative.toString().replace('\\', '/');
    }
}
