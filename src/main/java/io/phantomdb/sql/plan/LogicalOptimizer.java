package io.phantomdb.sql.plan;

import java.util.List;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.hep.HepMatchOrder;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql2rel.RelDecorrelator;
import org.apache.calcite.tools.RelBuilder;

/**
 * The rule-based half of optimization, in fixed phases (Calcite's HepPlanner; each phase runs to a fixpoint):
 * <ol>
 *   <li>sub-queries become correlates, then correlates are decorrelated into joins and aggregates where
 *       Calcite can (what remains runs as a correlate: a nested loop with the outer row bound);</li>
 *   <li>filters are pushed down into joins and towards the scans, projections merged and trimmed;</li>
 *   <li>joins of three or more inputs are reordered by estimated cost (LoptOptimizeJoinRule over row
 *       counts and key statistics from the catalog).</li>
 * </ol>
 * Expressions are never constant-folded by Calcite: folding would evaluate with Calcite's semantics at plan
 * time (e.g. {@code 1/0} or overflow), not Phantom-DB's at run time.
 */
public final class LogicalOptimizer {
    private static final HepProgram SUB_QUERIES = program(List.of(
            CoreRules.FILTER_SUB_QUERY_TO_CORRELATE,
            CoreRules.PROJECT_SUB_QUERY_TO_CORRELATE,
            CoreRules.JOIN_SUB_QUERY_TO_CORRELATE));

    private static final HepProgram PUSH_DOWN = program(List.of(
            CoreRules.FILTER_INTO_JOIN,
            CoreRules.JOIN_CONDITION_PUSH,
            CoreRules.JOIN_PUSH_EXPRESSIONS,
            CoreRules.FILTER_PROJECT_TRANSPOSE,
            CoreRules.FILTER_MERGE,
            CoreRules.FILTER_SET_OP_TRANSPOSE,
            CoreRules.FILTER_AGGREGATE_TRANSPOSE,
            CoreRules.PROJECT_MERGE,
            CoreRules.PROJECT_REMOVE,
            CoreRules.AGGREGATE_PROJECT_MERGE));

    private static final HepProgram JOIN_ORDER = new HepProgramBuilder()
            .addMatchOrder(HepMatchOrder.BOTTOM_UP)
            .addRuleInstance(CoreRules.JOIN_TO_MULTI_JOIN)
            .addRuleInstance(CoreRules.MULTI_JOIN_OPTIMIZE)
            .build();

    private LogicalOptimizer() {}

    public static RelNode optimize(RelNode rel) {
        RelNode r = rel;
        if (hasSubQueryOrCorrelate(r)) { // the phase is costly; most statements have neither
            r = run(SUB_QUERIES, r);
            RelBuilder builder = RelFactories.LOGICAL_BUILDER.create(r.getCluster(), null);
            r = RelDecorrelator.decorrelateQuery(r, builder);
        }
        r = run(PUSH_DOWN, r);
        if (countJoins(r) >= 2) {
            r = run(JOIN_ORDER, r);
            r = run(PUSH_DOWN, r);
        }
        return r;
    }

    private static HepProgram program(List<RelOptRule> rules) {
        HepProgramBuilder b = new HepProgramBuilder();
        b.addRuleCollection(rules);
        return b.build();
    }

    private static RelNode run(HepProgram program, RelNode rel) {
        HepPlanner planner = new HepPlanner(program);
        planner.setRoot(rel);
        return planner.findBestExp();
    }

    private static boolean hasSubQueryOrCorrelate(RelNode rel) {
        if (rel instanceof org.apache.calcite.rel.core.Correlate
                || rel instanceof org.apache.calcite.rel.core.Filter f && RexUtil.SubQueryFinder.containsSubQuery(f)
                || rel instanceof org.apache.calcite.rel.core.Project p && RexUtil.SubQueryFinder.containsSubQuery(p)
                || rel instanceof org.apache.calcite.rel.core.Join j && RexUtil.SubQueryFinder.containsSubQuery(j)) {
            return true;
        }
        for (RelNode input : rel.getInputs()) {
            if (hasSubQueryOrCorrelate(input)) {
                return true;
            }
        }
        return false;
    }

    private static int countJoins(RelNode rel) {
        int n = rel instanceof org.apache.calcite.rel.core.Join ? 1 : 0;
        for (RelNode input : rel.getInputs()) {
            n += countJoins(input);
        }
        return n;
    }
}
