package io.phantomdb.txn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Grade 2 of the isolation README: from what a run observed, did the case's anomaly happen? One rule per
 * case id, each a reading of that case's {@code anomaly_if} text in anomalies.json. The rules look at the
 * rows each session read, whether its statements succeeded, whether it committed, and the table once every
 * transaction ended; they do not depend on step numbers, so a script borrowed from another level is judged
 * the same way.
 */
final class AnomalyVerdicts {
    private AnomalyVerdicts() {}

    /** The observations a verdict is made from. {@code finalRows}: the table after all sessions ended. */
    record Observed(List<StepRun> steps, List<List<Long>> finalRows) {
        /** The rows of each SELECT {@code session} sent, in order; null where it returned none (error, skipped). */
        List<List<List<Long>>> reads(String session) {
            List<List<List<Long>>> out = new ArrayList<>();
            for (StepRun s : steps) {
                if (s.step().session().equals(session) && s.isSelect()) {
                    out.add(s.outcome().ok() ? s.outcome().rows() : null);
                }
            }
            return out;
        }

        /** The {@code i}-th read of {@code session}, or an empty list if it did not return rows. */
        List<List<Long>> read(String session, int i) {
            List<List<List<Long>>> reads = reads(session);
            return i < reads.size() && reads.get(i) != null ? reads.get(i) : List.of();
        }

        boolean everRead(String session, long id, long value) {
            for (List<List<Long>> rows : reads(session)) {
                if (rows != null && rows.contains(List.of(id, value))) {
                    return true;
                }
            }
            return false;
        }

        /** Every statement of {@code session} starting with {@code verb} ran and succeeded (and there was one). */
        boolean succeeded(String session, String verb) {
            boolean any = false;
            for (StepRun s : steps) {
                if (s.step().session().equals(session) && s.sentSql().trim().toLowerCase().startsWith(verb)) {
                    if (!s.outcome().ok()) {
                        return false;
                    }
                    any = true;
                }
            }
            return any;
        }

        /** {@code session} sent COMMIT and it succeeded (a failed session never sends one: it rolls back). */
        boolean committed(String session) {
            return succeeded(session, "commit");
        }

        Long finalValue(long id) {
            for (List<Long> row : finalRows) {
                if (row.get(0) == id) {
                    return row.get(1);
                }
            }
            return null;
        }
    }

    /** Whether the anomaly of case {@code caseId} happened. */
    static boolean anomaly(String caseId, Observed o) {
        switch (caseId) {
            case "G0": // the final table mixes the two writers' rows
                return mixed(o.finalValue(1), o.finalValue(2), Map.of(11L, 21L, 12L, 22L));
            case "G1a": // T2 ever reads T1's rolled-back 101
            case "G1b": // T2 reads T1's intermediate 101
                return o.everRead("T2", 1, 101);
            case "G1c": // either reads the other's uncommitted write (the text asks both: one is already a dirty read)
                return o.everRead("T1", 2, 22) || o.everRead("T2", 1, 11);
            case "OTV":
                return observedTransactionVanishes(o.reads("T3"));
            case "PMP": // T1's second predicate read sees the row T2 committed after T1's first
                return o.read("T1", 1).contains(List.of(3L, 30L));
            case "PMP-write": // T2's delete completed and committed, yet a row with value 20 remains
                return o.succeeded("T2", "delete") && o.committed("T2") && o.finalRows().stream().anyMatch(r -> r.get(1) == 20L);
            case "P4": // both read id 1 = 10, both updated it, both committed
                return o.read("T1", 0).contains(List.of(1L, 10L)) && o.read("T2", 0).contains(List.of(1L, 10L))
                        && bothWroteAndCommitted(o, "update");
            case "G-single": // T1 saw id 1 before T2 and id 2 after T2
                return o.everRead("T1", 1, 10) && o.everRead("T1", 2, 18);
            case "G-single-dependencies": // T1's second predicate read returns T2's new (1, 12)
                return o.read("T1", 1).contains(List.of(1L, 12L));
            case "G-single-write": // T1 read id 1 = 10, then its delete succeeded and it committed
                return o.read("T1", 0).contains(List.of(1L, 10L)) && o.succeeded("T1", "delete") && o.committed("T1");
            case "G2-item": // both read both rows, each updated one, both committed
                return sameRows(o.read("T1", 0), List.of(List.of(1L, 10L), List.of(2L, 20L)))
                        && sameRows(o.read("T2", 0), List.of(List.of(1L, 10L), List.of(2L, 20L))) && bothWroteAndCommitted(o, "update");
            case "G2": // both saw no row with value % 3 = 0, each inserted one, both committed
                return o.reads("T1").get(0) != null && o.reads("T1").get(0).isEmpty() && o.reads("T2").get(0) != null
                        && o.reads("T2").get(0).isEmpty() && bothWroteAndCommitted(o, "insert");
            case "G2-two-edges": // T3 saw T2's commit but not T1's write, and T1's update then committed
                return o.everRead("T3", 2, 25) && o.everRead("T3", 1, 10) && o.succeeded("T1", "update") && o.committed("T1");
            default:
                throw new IllegalArgumentException("no verdict rule for case " + caseId + ": add one to AnomalyVerdicts");
        }
    }

    private static boolean bothWroteAndCommitted(Observed o, String verb) {
        return o.succeeded("T1", verb) && o.succeeded("T2", verb) && o.committed("T1") && o.committed("T2");
    }

    private static boolean sameRows(List<List<Long>> a, List<List<Long>> b) {
        return StrictCheck.sorted(a).equals(StrictCheck.sorted(b));
    }

    /** {@code id1 -> id2} pairs of one writer: the final state is mixed if it pairs id 1 of one with id 2 of another. */
    private static boolean mixed(Long v1, Long v2, Map<Long, Long> pairs) {
        return v1 != null && v2 != null && pairs.containsKey(v1) && pairs.containsValue(v2) && !pairs.get(v1).equals(v2);
    }

    /**
     * OTV: each value T3 reads belongs to a stage of the history (0 initial, 1 written by T1, 2 by T2); once a
     * read showed a stage, a later read showing an earlier stage of another row means that transaction's
     * effects vanished from T3's view.
     */
    private static boolean observedTransactionVanishes(List<List<List<Long>>> reads) {
        Map<List<Long>, Integer> stage = Map.of(List.of(1L, 10L), 0, List.of(1L, 11L), 1, List.of(1L, 12L), 2,
                List.of(2L, 20L), 0, List.of(2L, 19L), 1, List.of(2L, 18L), 2);
        int seen = 0;
        for (List<List<Long>> rows : reads) {
            if (rows == null) {
                continue;
            }
            for (List<Long> row : rows) {
                int s = stage.getOrDefault(row, 0);
                if (s < seen) {
                    return true;
                }
                seen = Math.max(seen, s);
            }
        }
        return false;
    }
}
