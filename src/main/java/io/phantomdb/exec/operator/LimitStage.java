package io.phantomdb.exec.operator;

import io.phantomdb.exec.Batch;
import java.util.List;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;

/**
 * OFFSET/FETCH over batches: drops the first {@code offset} rows, passes {@code fetch} rows (all when negative),
 * and completes as soon as the last wanted row was pushed, which cancels upstream so the scans below stop
 * reading. FETCH 0 completes before pulling at all.
 */
final class LimitStage extends GraphStage<FlowShape<Batch, Batch>> {
    private final Inlet<Batch> inlet = Inlet.create("limit.in");
    private final Outlet<Batch> outlet = Outlet.create("limit.out");
    private final FlowShape<Batch, Batch> shape = FlowShape.of(inlet, outlet);
    private final long offset;
    private final long fetch;

    LimitStage(long offset, long fetch) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0: " + offset);
        }
        this.offset = offset;
        this.fetch = fetch;
    }

    @Override
    public FlowShape<Batch, Batch> shape() {
        return shape;
    }

    @Override
    public Attributes initialAttributes() {
        return Attributes.name("limit");
    }

    @Override
    public GraphStageLogic createLogic(Attributes inheritedAttributes) {
        return new Logic();
    }

    private final class Logic extends GraphStageLogic {
        private long toSkip = offset;
        /** Rows still to pass; negative means unlimited. */
        private long toEmit = fetch;

        Logic() {
            super(shape);
            setHandler(inlet, new AbstractInHandler() {
                @Override
                public void onPush() {
                    onBatch(grab(inlet));
                }
            });
            setHandler(outlet, new AbstractOutHandler() {
                @Override
                public void onPull() {
                    pull(inlet);
                }
            });
        }

        @Override
        public void preStart() {
            if (toEmit == 0) {
                completeStage();
            }
        }

        private void onBatch(Batch batch) {
            int size = batch.size();
            int from = (int) Math.min(toSkip, size);
            toSkip -= from;
            int to = toEmit < 0 ? size : (int) Math.min(size, from + toEmit);
            if (from == to) {
                pull(inlet);
                return;
            }
            List<Object[]> rows = batch.rows();
            push(outlet, from == 0 && to == size ? batch : new Batch(rows.subList(from, to)));
            if (toEmit > 0) {
                toEmit -= to - from;
                if (toEmit == 0) {
                    completeStage(); // the pushed batch is still delivered; upstream is cancelled now
                }
            }
        }
    }
}
