package io.phantomdb.sql.plan;

import io.phantomdb.catalog.DataType;
import io.phantomdb.exec.Batch;
import io.phantomdb.exec.ExecContext;
import java.util.List;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;

/**
 * A node of a physical plan: an immutable description of one operator, built into Pekko Streams stages per
 * execution ({@link #build}). Plans are cached and shared between executions and threads, so nodes hold no
 * per-execution state; parameters, correlation values, the read timestamp and the memory budget come from
 * the {@link ExecContext}.
 */
public abstract class PlanNode {
    private final List<DataType> types;

    protected PlanNode(List<DataType> types) {
        this.types = List.copyOf(types);
    }

    /** Output column types (the row's classes follow DataType's invariant). */
    public List<DataType> types() {
        return types;
    }

    public int width() {
        return types.size();
    }

    /** The stream of this operator's output for one execution. */
    public abstract Source<Batch, NotUsed> build(ExecContext context);

    /**
     * Whether {@link #runInline} can answer this plan: a bounded amount of work (primary-key lookups with only
     * filters and projections above them), cheaper to run on the caller's thread than to materialize as a
     * stream. Decided once per plan.
     */
    public boolean inline() {
        return false;
    }

    /** The plan's rows, computed on the caller's thread; only for plans where {@link #inline()} holds. */
    public List<Object[]> runInline(ExecContext context) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not run inline");
    }

    /** One line for EXPLAIN, without indentation. */
    public abstract String describe();

    public abstract List<PlanNode> inputs();

    /** The plan as an indented tree, one operator per line (EXPLAIN). */
    public final void explain(StringBuilder out, int depth) {
        out.append("  ".repeat(depth)).append(depth > 0 ? "->  " : "").append(describe()).append('\n');
        for (PlanNode input : inputs()) {
            input.explain(out, depth + 1);
        }
    }
}
