package io.phantomdb.exec.operator;

import io.phantomdb.exec.Batch;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FanInShape2;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.SourceShape;
import org.apache.pekko.stream.javadsl.GraphDSL;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;

/**
 * The stage behind {@link Operators#mergeJoin}: unlike {@link ProcessorStage}, which reads its inputs one after
 * another, it reads both inputs side by side, pulling an input only when the {@link MergeJoiner} is blocked on
 * it, so neither input is ever buffered beyond its current batch.
 *
 * <pre>
 *   left  (in0) ──┐
 *                 ├──▶ MergeJoiner.advance(≤ batchRows rows) ──▶ out
 *   right (in1) ──┘
 * </pre>
 *
 * Demand drives it: output is computed only when downstream pulls. The stage completes when the joiner says no
 * more output can come, which cancels an input still open (an INNER join whose left input ended does not read
 * the rest of the right). An input's failure fails the stage with that exception (Pekko's default handler), as
 * do the joiner's exceptions (53200, a residual's error). When it stops for any reason the joiner releases its
 * memory.
 */
final class MergeJoinStage extends GraphStage<FanInShape2<Batch, Batch, Batch>> {
    private static final String NAME = "mergeJoin";

    private final FanInShape2<Batch, Batch, Batch> shape = new FanInShape2<>(NAME);
    private final Supplier<MergeJoiner> joiners;
    private final int batchRows;

    private MergeJoinStage(Supplier<MergeJoiner> joiners, int batchRows) {
        this.joiners = joiners;
        this.batchRows = Rows.checkBatchRows(batchRows);
    }

    /** A source joining {@code left} and {@code right} with a new joiner from {@code joiners} per materialization. */
    static Source<Batch, NotUsed> source(Source<Batch, NotUsed> left, Source<Batch, NotUsed> right,
            Supplier<MergeJoiner> joiners, int batchRows) {
        MergeJoinStage stage = new MergeJoinStage(joiners, batchRows);
        return Source.fromGraph(GraphDSL.create(builder -> {
            FanInShape2<Batch, Batch, Batch> join = builder.add(stage);
            builder.from(builder.add(left)).toInlet(join.in0());
            builder.from(builder.add(right)).toInlet(join.in1());
            return SourceShape.of(join.out());
        }));
    }

    @Override
    public FanInShape2<Batch, Batch, Batch> shape() {
        return shape;
    }

    @Override
    public Attributes initialAttributes() {
        return Attributes.name(NAME);
    }

    @Override
    public GraphStageLogic createLogic(Attributes inheritedAttributes) {
        return new Logic();
    }

    private final class Logic extends GraphStageLogic {
        private MergeJoiner joiner;

        Logic() {
            super(shape);
            setInputHandler(shape.in0(), true);
            setInputHandler(shape.in1(), false);
            setHandler(shape.out(), new AbstractOutHandler() {
                @Override
                public void onPull() {
                    guarded(Logic.this::run);
                }
            });
        }

        private void setInputHandler(Inlet<Batch> inlet, boolean leftInput) {
            setHandler(inlet, new AbstractInHandler() {
                @Override
                public void onPush() {
                    guarded(() -> {
                        joiner.offer(leftInput, grab(inlet));
                        run();
                    });
                }

                @Override
                public void onUpstreamFinish() {
                    // Not Pekko's default (complete the stage): the other input may still produce output.
                    guarded(() -> {
                        joiner.finish(leftInput);
                        run();
                    });
                }
            });
        }

        @Override
        public void preStart() {
            joiner = joiners.get();
        }

        /** As in {@link ProcessorStage}: expected query errors fail the stream without an "Error in stage" log. */
        private void guarded(Runnable body) {
            try {
                body.run();
            } catch (RuntimeException e) {
                failStage(e);
            }
        }

        /**
         * If downstream wants a batch: advances the join, pushes what it output (a partial batch too, rather than
         * wait for more input to fill it), and pulls the inputs it is blocked on or completes.
         */
        private void run() {
            if (!isAvailable(shape.out())) {
                return;
            }
            List<Object[]> out = new ArrayList<>(Math.min(batchRows, 1024));
            MergeJoiner.Step step = joiner.advance(out, batchRows);
            if (!out.isEmpty()) {
                push(shape.out(), new Batch(out));
            }
            if (step == MergeJoiner.Step.DONE) {
                completeStage(); // a batch just pushed is still delivered; open inputs are cancelled
            } else if (step == MergeJoiner.Step.NEEDS_INPUT) {
                pullIfWanted(shape.in0(), true);
                pullIfWanted(shape.in1(), false);
            }
        }

        private void pullIfWanted(Inlet<Batch> inlet, boolean leftInput) {
            if (joiner.wants(leftInput) && !hasBeenPulled(inlet) && !isClosed(inlet)) {
                pull(inlet);
            }
        }

        @Override
        public void postStop() {
            if (joiner != null) {
                joiner.close();
            }
        }
    }
}
