package io.phantomdb.txn;

import io.phantomdb.txn.StrictCheck.Deviation;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The isolation conformance report: one line per case, level and table layout (strict match with PostgreSQL,
 * our isolation verdict, PostgreSQL's outcome, the grade), then every deviation and problem in detail.
 */
final class IsolationMatrix {
    private IsolationMatrix() {}

    /**
     * One case run at one level. {@code scriptLevel}: the level whose Hermitage script was run (the run's own
     * level when Hermitage scripted it; otherwise the statements of that script at this run's level, and only
     * the verdict is graded). {@code problems}: errors other than 40001, hung statements, runner notes.
     */
    record CaseRun(String caseId, String level, int partitions, String scriptLevel, List<StepRun> steps,
            List<Deviation> deviations, boolean anomaly, String postgres, List<String> problems) {
        boolean scripted() {
            return scriptLevel.equals(level);
        }

        boolean postgresPrevents() {
            return postgres.equals("prevented");
        }

        String grade() {
            if (postgresPrevents() && anomaly) {
                return "FAIL: anomaly that PostgreSQL prevents";
            }
            if (!postgresPrevents() && !anomaly) {
                return "stricter than PostgreSQL";
            }
            return "as PostgreSQL";
        }

        String strict() {
            if (!scripted()) {
                return "n/a (" + abbreviation(scriptLevel) + " script)";
            }
            long real = deviations.stream().filter(d -> !d.allowed()).count();
            long allowed = deviations.size() - real;
            return real > 0 ? "NO (" + real + ")" : allowed > 0 ? "yes*" : "yes";
        }

        String label() {
            return caseId + " @ " + level + " (partitions = " + partitions + ")";
        }
    }

    static String abbreviation(String level) {
        return level.equals("read_committed") ? "RC" : level.equals("repeatable_read") ? "RR" : "SER";
    }

    static String render(List<CaseRun> runs, List<String> notRun, List<String> header) {
        StringBuilder out = new StringBuilder();
        header.forEach(h -> out.append(h).append('\n'));
        out.append(String.format("%n%-22s %-16s %-5s %-18s %-10s %-10s %s%n", "case", "level", "parts", "strict match",
                "verdict", "postgres", "grade"));
        for (CaseRun r : runs) {
            out.append(String.format("%-22s %-16s %-5d %-18s %-10s %-10s %s%n", r.caseId(), r.level(), r.partitions(),
                    r.strict(), r.anomaly() ? "anomaly" : "prevented", r.postgres(), r.grade()));
        }
        out.append("\nstrict: yes* = matches except for a deviation the README allows (listed below).\n");
        section(out, "Strict-match deviations (scripted levels)", runs, r -> r.deviations().stream().map(Deviation::toString).toList());
        section(out, "Problems (errors other than 40001, hung statements, runner notes)", runs, CaseRun::problems);
        section(out, "Stricter than PostgreSQL (allowed, but changes behaviour for PostgreSQL clients)", runs,
                r -> r.grade().startsWith("stricter") ? List.of(trace(r)) : List.of());
        section(out, "Anomalies PostgreSQL prevents (failures)", runs, r -> r.grade().startsWith("FAIL") ? List.of(trace(r)) : List.of());
        if (!notRun.isEmpty()) {
            out.append("\nNot run (time budget exhausted): ").append(notRun).append('\n');
        }
        return out.toString();
    }

    /** Every run's steps as run (for the report file: long). */
    static String traces(List<CaseRun> runs) {
        StringBuilder out = new StringBuilder("\nTraces (step, session, SQL sent -> outcome):\n");
        for (CaseRun r : runs) {
            out.append("  ").append(r.label()).append(", ").append(IsolationMatrix.abbreviation(r.scriptLevel()))
                    .append(" script: ").append(r.anomaly() ? "anomaly" : "prevented").append(trace(r)).append('\n');
        }
        return out.toString();
    }

    private static void section(StringBuilder out, String title, List<CaseRun> runs,
            java.util.function.Function<CaseRun, List<String>> lines) {
        List<String> body = new ArrayList<>();
        for (CaseRun r : runs) {
            for (String line : lines.apply(r)) {
                body.add("  " + r.label() + ": " + line);
            }
        }
        out.append('\n').append(title).append(": ").append(body.isEmpty() ? "none" : body.size()).append('\n');
        body.forEach(b -> out.append(b).append('\n'));
    }

    /** The steps as run, one per line, for a reader to see why the verdict came out as it did. */
    static String trace(CaseRun r) {
        return r.steps().stream()
                .map(s -> "\n      " + s.step().n() + " " + s.step().session() + " " + s.sentSql() + " -> " + s.outcome()
                        + (s.blockedAtProbe() ? " [was blocked]" : ""))
                .collect(Collectors.joining());
    }
}
