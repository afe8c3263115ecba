package io.phantomdb.bench;

import io.phantomdb.storage.Compression;
import io.phantomdb.storage.Durability;
import io.phantomdb.storage.Engine;
import io.phantomdb.storage.EngineOptions;
import io.phantomdb.storage.EngineStats;
import io.phantomdb.storage.KvIterator;
import io.phantomdb.storage.WriteBatch;
import io.phantomdb.storage.fs.RealFileSystem;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Phantom's LSM engine through its public API ({@code io.phantomdb.storage.Engine}). */
final class PhantomStore implements Store {

    private final Engine engine;

    private PhantomStore(Engine engine) {
        this.engine = engine;
    }

    /** The options the benchmark uses: the settings, every other field at Phantom's default. */
    static EngineOptions options(BenchConfig config) {
        EngineOptions.Builder builder = EngineOptions.builder()
                .durability(Durability.COMMIT)
                .blockCacheBytes(config.blockCacheBytes)
                .bloomBitsPerKey(config.bloomBitsPerKey)
                .compression(Compression.NONE)
                .blockBytes(config.blockBytes);
        if (config.phantomWalPreallocateBytes != null) {
            builder.walPreallocateBytes(config.phantomWalPreallocateBytes);
        }
        return builder.build();
    }

    static PhantomStore open(Path dir, EngineOptions options) throws Exception {
        return new PhantomStore(Engine.open(RealFileSystem.INSTANCE, dir, options));
    }

    @Override
    public String name() {
        return "Phantom";
    }

    @Override
    public void writeBatch(byte[][] keys, int[] order, int from, int to, ValuePool values) throws Exception {
        WriteBatch batch = new WriteBatch();
        for (int i = from; i < to; i++) {
            int id = order[i];
            batch.put(keys[id], values.forKey(id));
        }
        engine.write(batch);
    }

    @Override
    public void put(byte[] key, byte[] value) throws Exception {
        engine.write(new WriteBatch().put(key, value));
    }

    @Override
    public byte[] get(byte[] key) throws Exception {
        return engine.get(key);
    }

    @Override
    public int scan(byte[] from, int count) throws Exception {
        int n = 0;
        long sink = 0;
        try (KvIterator it = engine.scan(from, null, Long.MAX_VALUE, false)) {
            while (n < count && it.next()) {
                sink += it.key().length + it.value().length;
                n++;
            }
        }
        Blackhole.consume(sink);
        return n;
    }

    @Override
    public void flushAndCompact() throws Exception {
        engine.flush();
        engine.compact();
    }

    @Override
    public String shape() throws Exception {
        EngineStats s = engine.stats();
        return "segments per level " + s.segmentsPerLevel() + ", MiB per level "
                + s.bytesPerLevel().stream().map(b -> String.valueOf(b >> 20)).toList();
    }

    @Override
    public Map<String, Long> counters() throws Exception {
        EngineStats s = engine.stats();
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("walRecords", s.walRecords());
        m.put("walSyncs", s.walSyncs());
        m.put("cacheHits", s.blockCacheHits());
        m.put("cacheMisses", s.blockCacheMisses());
        m.put("compactions", s.compactions());
        return m;
    }

    @Override
    public void close() {
        engine.close();
    }
}
