package io.phantomdb.storage.crash;

import io.phantomdb.storage.Durability;
import io.phantomdb.storage.Engine;
import io.phantomdb.storage.EngineOptions;
import io.phantomdb.storage.WriteBatch;
import io.phantomdb.storage.fs.RealFileSystem;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The child process of {@link KillNineTest}: opens the engine and writes from several threads until it is
 * killed, reporting on stdout, one line each, what it is about to do and what the engine acknowledged.
 *
 * <p>Protocol (one line per event, written with a single {@code write(2)} of at most a few hundred bytes,
 * which a pipe delivers whole):
 * <pre>
 * ack put KEY VALUE         write(put KEY VALUE) returned
 * try del KEY               about to write(delete KEY); printed BEFORE the call
 * ack del KEY               write(delete KEY) returned
 * ack batch ID VALUE        write(put ID-0, ID-1, ID-2 = VALUE, one batch) returned
 * </pre>
 * Keys and values contain no spaces. Key families:
 * <ul>
 *   <li>{@code u-r<round>-t<thread>-<seq>}: unique keys, each put once, some later deleted once;</li>
 *   <li>{@code h-t<thread>-<i>}: overwrite keys, written only by thread {@code t} (so acknowledgement order
 *       is commit order), value {@code <round>:<seq>:<padding>} increasing across rounds;</li>
 *   <li>{@code b-r<round>-t<thread>-<seq>-<0..2>}: three keys written in one batch (all or none).</li>
 * </ul>
 * Everything else the process prints (engine logs) goes to stderr. The process never exits by itself
 * before {@link #LIFETIME_MAX_MILLIS}: it is meant to be killed.
 */
public final class KillNineWriter {

    /** Exits on its own after this, in case the parent test died without killing it. */
    static final long LIFETIME_MAX_MILLIS = 120_000;
    /** Exit code when a write failed: the parent reports the child's stderr. */
    static final int EXIT_WRITE_FAILED = 70;
    static final int OVERWRITE_KEYS_PER_THREAD = 8;
    static final int BATCH_KEYS = 3;
    static final int PADDING_BYTES_MIN = 50;
    static final int PADDING_BYTES_MAX = 700;

    private static final FileOutputStream STDOUT = new FileOutputStream(FileDescriptor.out);

    private KillNineWriter() {}

    /** Small memtable, blocks and levels so that flushes and compactions happen within one round. */
    static EngineOptions options() {
        return EngineOptions.builder()
                .durability(Durability.COMMIT)
                .memtableBytes(256 * 1024)
                .blockBytes(4 * 1024)
                .targetSegmentBytes(256 * 1024)
                .levelBaseBytes(1024 * 1024)
                .l0CompactionTrigger(2)
                .l0SlowdownTrigger(6)
                .l0StopTrigger(10)
                .build();
    }

    /** Arguments: data directory, round number, writer threads, random seed. */
    public static void main(String[] args) throws Exception {
        System.setOut(System.err); // only emit() writes to the real stdout
        Path dir = Path.of(args[0]);
        int round = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        long seed = Long.parseLong(args[3]);
        Engine engine = Engine.open(RealFileSystem.INSTANCE, dir, options());
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread writer = new Thread(() -> writeUntilKilled(engine, round, thread, new Random(seed * 31 + thread)),
                    "writer-" + t);
            writer.setDaemon(true);
            writers.add(writer);
            writer.start();
        }
        Thread.sleep(LIFETIME_MAX_MILLIS);
        System.err.println("KillNineWriter: not killed within " + LIFETIME_MAX_MILLIS + " ms, exiting");
        System.exit(2);
    }

    private static void writeUntilKilled(Engine engine, int round, int thread, Random random) {
        List<String> deletable = new ArrayList<>();
        long seq = 0;
        try {
            while (true) {
                seq++;
                int dice = random.nextInt(100);
                if (dice < 60) {
                    String key = String.format(Locale.ROOT, "u-r%d-t%d-%d", round, thread, seq);
                    String value = "v" + seq + "-" + padding(random);
                    engine.write(new WriteBatch().put(utf8(key), utf8(value)));
                    emit("ack put " + key + " " + value);
                    deletable.add(key);
                } else if (dice < 80) {
                    String key = "h-t" + thread + "-" + random.nextInt(OVERWRITE_KEYS_PER_THREAD);
                    String value = round + ":" + seq + ":" + padding(random);
                    engine.write(new WriteBatch().put(utf8(key), utf8(value)));
                    emit("ack put " + key + " " + value);
                } else if (dice < 90 && !deletable.isEmpty()) {
                    String key = deletable.remove(random.nextInt(deletable.size()));
                    emit("try del " + key);
                    engine.write(new WriteBatch().delete(utf8(key)));
                    emit("ack del " + key);
                } else {
                    String id = String.format(Locale.ROOT, "b-r%d-t%d-%d", round, thread, seq);
                    String value = "batch" + seq + "-" + padding(random);
                    WriteBatch batch = new WriteBatch();
                    for (int i = 0; i < BATCH_KEYS; i++) {
                        batch.put(utf8(id + "-" + i), utf8(value));
                    }
                    engine.write(batch);
                    emit("ack batch " + id + " " + value);
                }
            }
        } catch (Throwable t) {
            System.err.println("KillNineWriter: write failed on thread " + thread + " at seq " + seq);
            t.printStackTrace(System.err);
            System.err.flush();
            Runtime.getRuntime().halt(EXIT_WRITE_FAILED);
        }
    }

    private static String padding(Random random) {
        int length = PADDING_BYTES_MIN + random.nextInt(PADDING_BYTES_MAX - PADDING_BYTES_MIN + 1);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** One line, one write(2): a line in the pipe is either whole or (cut by the kill) absent. */
    private static synchronized void emit(String line) throws IOException {
        STDOUT.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
