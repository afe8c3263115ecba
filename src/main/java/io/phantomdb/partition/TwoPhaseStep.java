package io.phantomdb.partition;

import io.phantomdb.error.PhantomSqlException;
import io.phantomdb.error.SqlState;
import io.phantomdb.storage.Engine;
import io.phantomdb.storage.WriteBatch;
import java.util.List;

/**
 * What one two-phase-commit command does to a partition's engine, decided from the engine's current state:
 * either reply at once ({@code batch == null}, with {@code replyNow}) or write {@code batch}, after which a
 * PREPARE record of the transaction remains ({@code inDoubtAfter}) or not.
 *
 * <p>Reads the PREPARE record, so the caller must not run it while another 2PC write of the same
 * transaction is in flight (the engine shows a write only once it is durable): {@link PartitionEntity}
 * runs them one at a time per transaction.
 *
 * <p>A tombstone on the record key is how a partition remembers that a transaction was decided here: a
 * prepare that arrives after its commit or abort (a delayed retry) is refused instead of leaving a record
 * that would be reported in doubt and applied a second time. Compaction drops the tombstone once it is
 * below the GC horizon, so this guard holds for messages delayed up to that long, not forever.
 */
record TwoPhaseStep(WriteBatch batch, long replyNow, boolean inDoubtAfter) {

    static TwoPhaseStep plan(Engine engine, PartitionEntity.TwoPhase command) {
        if (command instanceof PartitionEntity.Prepare prepare) {
            return prepare(engine, prepare);
        }
        if (command instanceof PartitionEntity.CommitPrepared commit) {
            return commit(engine, commit);
        }
        return abort(engine, (PartitionEntity.AbortPrepared) command);
    }

    private static TwoPhaseStep prepare(Engine engine, PartitionEntity.Prepare prepare) {
        requireClockTimestamp(prepare.timestamp());
        for (Mutation m : prepare.mutations()) {
            byte[] key = m.key();
            if (PreparedRecords.reserved(key)) {
                throw new IllegalArgumentException("a prepared mutation writes the reserved key space (0x00...)");
            }
        }
        byte[] key = PreparedRecords.key(prepare.txnId());
        long newest = engine.newestTimestamp(key);
        boolean live = engine.get(key) != null;
        if (newest > 0 && !live) {
            throw new PhantomSqlException(SqlState.INVALID_TRANSACTION_STATE, "transaction " + prepare.txnId()
                    + " was already committed or aborted here; a late prepare cannot reopen it");
        }
        if (live && newest >= prepare.timestamp()) {
            return new TwoPhaseStep(null, newest, true); // a delayed duplicate: the record is already newer
        }
        WriteBatch batch = new WriteBatch().timestamp(prepare.timestamp());
        batch.put(key, PreparedRecords.encode(prepare.mutations()));
        return new TwoPhaseStep(batch, 0, true);
    }

    private static TwoPhaseStep commit(Engine engine, PartitionEntity.CommitPrepared commit) {
        requireClockTimestamp(commit.timestamp());
        byte[] key = PreparedRecords.key(commit.txnId());
        byte[] record = engine.get(key);
        if (record == null) {
            return new TwoPhaseStep(null, 0, false); // committed before (or never prepared): nothing to do
        }
        long prepared = engine.newestTimestamp(key);
        // The delete must shadow the record: at or below its timestamp the record would stay visible and a
        // retried commit would apply the mutations a second time.
        if (commit.timestamp() <= prepared) {
            throw new IllegalArgumentException("commit timestamp " + commit.timestamp()
                    + " is not after the prepare timestamp " + prepared);
        }
        List<Mutation> mutations = PreparedRecords.decode(record);
        WriteBatch batch = new WriteBatch().timestamp(commit.timestamp());
        for (Mutation m : mutations) {
            if (m instanceof Mutation.Put put) {
                batch.put(put.key(), put.value());
            } else {
                batch.delete(((Mutation.Delete) m).key());
            }
        }
        batch.delete(key);
        return new TwoPhaseStep(batch, 0, false);
    }

    private static TwoPhaseStep abort(Engine engine, PartitionEntity.AbortPrepared abort) {
        requireClockTimestamp(abort.timestamp());
        byte[] key = PreparedRecords.key(abort.txnId());
        if (engine.get(key) == null) {
            return new TwoPhaseStep(null, 0, false);
        }
        long prepared = engine.newestTimestamp(key);
        WriteBatch batch = new WriteBatch().timestamp(Math.max(abort.timestamp(), prepared + 1));
        batch.delete(key);
        return new TwoPhaseStep(batch, 0, false);
    }

    /** 0 would let the engine assign a timestamp, out of step with the node's hybrid clock. */
    private static void requireClockTimestamp(long timestamp) {
        if (timestamp <= 0 || timestamp == Long.MAX_VALUE) {
            throw new IllegalArgumentException("a two-phase command needs a clock timestamp, got " + timestamp);
        }
    }
}
