package io.phantomdb.sql;

import io.phantomdb.PhantomDb;
import io.phantomdb.Row;
import io.phantomdb.testkit.TestNode;
import io.phantomdb.txn.coordinator.SagaHooks;
import io.phantomdb.txn.coordinator.SagaSettings;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The saga service of a {@link TestNode}, for the saga tests. Until PhantomDb builds its own {@link Sagas},
 * this builds one on the node's SQL engine (PhantomDb keeps the engine private, hence the reflection); once
 * PhantomDb has one, {@link #sagas} should return it instead (and its hooks be set with
 * {@link Sagas#setHooks}), because Cluster Sharding keeps the first coordinator factory of a node.
 */
final class SagaNodes {
    private SagaNodes() {}

    /** Shorter waits than production so a hung saga fails a test quickly; otherwise the defaults. */
    static final SagaSettings SETTINGS = new SagaSettings(SagaSettings.PHANTOM_JOURNAL,
            SagaSettings.PHANTOM_SNAPSHOT_STORE, 5, Duration.ofMillis(20), Duration.ofSeconds(20), 1000,
            Duration.ofSeconds(30), 100, 16);

    static Sagas sagas(TestNode node) {
        try {
            Field field = PhantomDb.class.getDeclaredField("engine");
            field.setAccessible(true);
            SqlEngine engine = (SqlEngine) field.get(node.db());
            return new Sagas(node.system(), engine::session, SETTINGS, SagaHooks.NONE);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("PhantomDb has no private SqlEngine field 'engine' any more: use its Sagas", e);
        }
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
