package io.phantomdb.exec.operator;

import io.phantomdb.exec.Batch;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SourceShape;
import org.apache.pekko.stream.UniformFanInShape;
import org.apache.pekko.stream.javadsl.GraphDSL;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;

/**
 * The one custom stage behind every operator that retains rows (sort, aggregate, joins, set operations): it
 * reads its inputs strictly one after another and feeds them to a fresh {@link RowProcessor}, and it emits the
 * processor's output lazily, at most {@code batchRows} rows per downstream pull, never an empty batch.
 *
 * <pre>
 *   in(0) ──▶ accept(0, b)* ─ finish(0) ─┐
 *   in(1) ────────────── (pulled only after in(0) ended) ──▶ accept(1, b)* ─ finish(1) ─▶ ... ─▶ out
 * </pre>
 *
 * Demand drives everything: an input is pulled only when the pending output is exhausted and downstream wants
 * more, so a sort emits its 1M rows batch by batch, and a join does not read its probe side before its build
 * side is complete. When the stage stops for any reason (completion, failure, cancellation) {@link
 * RowProcessor#close} releases the memory the run reserved. Exceptions from the processor (53200, a Scalar's
 * error) fail the stage with that very exception.
 */
final class ProcessorStage extends GraphStage<UniformFanInShape<Batch, Batch>> {
    private final String name;
    private final Supplier<RowProcessor> processors;
    private final int batchRows;
    private final List<Inlet<Batch>> inlets = new ArrayList<>();
    private final Outlet<Batch> outlet;
    private final UniformFanInShape<Batch, Batch> shape;

    private ProcessorStage(String name, int inputCount, Supplier<RowProcessor> processors, int batchRows) {
        this.name = name;
        this.processors = processors;
        this.batchRows = Rows.checkBatchRows(batchRows);
        for (int i = 0; i < inputCount; i++) {
            inlets.add(Inlet.create(name + ".in" + i));
        }
        this.outlet = Outlet.create(name + ".out");
        this.shape = UniformFanInShape.create(outlet, inlets);
    }

    /**
     * A source that runs {@code inputs} through a new processor from {@code processors} per materialization
     * (a plan is a reusable blueprint: each run gets its own state).
     */
    static Source<Batch, NotUsed> source(String name, List<Source<Batch, NotUsed>> inputs,
            Supplier<RowProcessor> processors, int batchRows) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException(name + " needs at least one input");
        }
        ProcessorStage stage = new ProcessorStage(name, inputs.size(), processors, batchRows);
        return Source.fromGraph(GraphDSL.create(builder -> {
            UniformFanInShape<Batch, Batch> added = builder.add(stage);
            for (int i = 0; i < inputs.size(); i++) {
                builder.from(builder.add(inputs.get(i))).toInlet(added.in(i));
            }
            return SourceShape.of(added.out());
        }));
    }

    @Override
    public UniformFanInShape<Batch, Batch> shape() {
        return shape;
    }

    @Override
    public Attributes initialAttributes() {
        return Attributes.name(name);
    }

    @Override
    public GraphStageLogic createLogic(Attributes inheritedAttributes) {
        return new Logic();
    }

    private final class Logic extends GraphStageLogic {
        private final boolean[] finished = new boolean[inlets.size()];
        private RowProcessor processor;
        private Iterator<Object[]> pending = Collections.emptyIterator();
        /** The input being read; inputs.size() once the last one was finished. */
        private int current;

        Logic() {
            super(shape);
            for (int i = 0; i < inlets.size(); i++) {
                int input = i;
                setHandler(inlets.get(i), new AbstractInHandler() {
                    @Override
                    public void onPush() {
                        guarded(() -> {
                            pending = processor.accept(input, grab(inlets.get(input)));
                            emitOrPull();
                        });
                    }

                    @Override
                    public void onUpstreamFinish() {
                        // A later input may end before it is read (an empty source); it is finished in turn.
                        finished[input] = true;
                        if (input == current) {
                            guarded(Logic.this::emitOrPull);
                        }
                    }
                });
            }
            setHandler(outlet, new AbstractOutHandler() {
                @Override
                public void onPull() {
                    guarded(Logic.this::emitOrPull);
                }
            });
        }

        @Override
        public void preStart() {
            processor = processors.get();
        }

        /**
         * Runs a handler body, failing the stage with any exception it throws. Expected query errors (53200, a
         * Scalar's 22012) thus fail the stream quietly; Pekko would log an exception escaping a handler as an
         * "Error in stage" with its stack trace, once per failed query.
         */
        private void guarded(Runnable body) {
            try {
                body.run();
            } catch (RuntimeException e) {
                failStage(e);
            }
        }

        /** Pushes the next batch of pending output if downstream wants one, else advances through the inputs. */
        private void emitOrPull() {
            while (isAvailable(outlet)) {
                List<Object[]> rows = Rows.drain(pending, batchRows);
                if (!rows.isEmpty()) {
                    push(outlet, new Batch(rows));
                    return;
                }
                if (current == inlets.size() || processor.done()) {
                    completeStage();
                    return;
                }
                if (!finished[current]) {
                    if (!hasBeenPulled(inlets.get(current))) {
                        pull(inlets.get(current));
                    }
                    return;
                }
                pending = processor.finish(current);
                current++;
            }
        }

        @Override
        public void postStop() {
            if (processor != null) {
                processor.close();
            }
        }
    }
}
