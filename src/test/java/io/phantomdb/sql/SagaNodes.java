package io.phantomdb.sql;

import io.phantomdb.Row;
import io.phantomdb.testkit.TestNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The saga service of a {@link TestNode}, for the saga tests: the node's own (Cluster Sharding keeps the first
 * coordinator factory of a node, so tests set hooks on it instead of building another). Tests that want
 * short waits start their node with {@link #OVERRIDES}.
 */
final class SagaNodes {
    private SagaNodes() {}

    /** Shorter waits than production so a hung saga fails a test quickly; otherwise the defaults. */
    static final java.util.Map<String, Object> OVERRIDES = java.util.Map.of("phantom.saga.retry-backoff", "20 ms",
            "phantom.saga.step-timeout", "20 s", "phantom.saga.start-wait-timeout", "30 s");

    /** The node's own saga service (its hooks are set with {@link Sagas#setHooks}). */
    static Sagas sagas(TestNode node) {
        return node.db().sagas();
    }

    /** Rows as lists of values, for comparison with expected rows written by hand. */
    static List<List<Object>> rows(List<Row> rows) {
        List<List<Object>> out = new ArrayList<>();
        for (Row row : rows) {
            List<Object> values = new ArrayList<>();
            for (int i = 0; i < row.size(); i++) {
                values.add(row.get(i));
            }
            out.add(values);
        }
        return out;
    }
}
