package io.phantomdb.bench;

import io.phantomdb.storage.EngineOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * RocksDB (rocksdbjni) configured like Phantom: the settings (512 MiB LRU block cache, bloom
 * filter 10 bits/key, 16 KiB blocks, no compression, {@code sync=true} on every write) plus the LSM shape
 * copied from the Phantom options in force (memtable size, L0 triggers, level base and multiplier, target
 * file size, open files), so both trees flush and compact at the same points.
 */
final class RocksStore implements Store {

    static {
        RocksDB.loadLibrary();
    }

    private final RocksDB db;
    private final Options options;
    private final LRUCache cache;
    private final BloomFilter filter;
    private final WriteOptions syncWrite;
    private final ReadOptions read;

    private RocksStore(RocksDB db, Options options, LRUCache cache, BloomFilter filter) {
        this.db = db;
        this.options = options;
        this.cache = cache;
        this.filter = filter;
        this.syncWrite = new WriteOptions().setSync(true);
        this.read = new ReadOptions();
    }

    /** One line per setting, for the report. */
    static List<String> describe(BenchConfig config, EngineOptions p) {
        List<String> s = new ArrayList<>();
        s.add("rocksdbjni " + RocksDB.rocksdbVersion());
        s.add("LRUCache " + (config.blockCacheBytes >> 20) + " MiB; BloomFilter(" + config.bloomBitsPerKey
                + " bits/key, full filter); blockSize " + config.blockBytes + " B; NO_COMPRESSION");
        s.add("WriteOptions.setSync(true) (fdatasync of the WAL per write group)");
        s.add("writeBufferSize " + (p.memtableBytes() >> 20) + " MiB, maxWriteBufferNumber "
                + (p.immutableMemtablesMax() + 1) + ", L0 triggers " + p.l0CompactionTrigger() + "/"
                + p.l0SlowdownTrigger() + "/" + p.l0StopTrigger() + ", maxBytesForLevelBase "
                + (p.levelBaseBytes() >> 20) + " MiB x" + p.levelMultiplier() + ", targetFileSizeBase "
                + (p.targetSegmentBytes() >> 20) + " MiB, numLevels " + p.levelsMax() + ", maxOpenFiles "
                + p.openFilesMax());
        s.add("everything else at RocksDB defaults (2 background jobs, index/filter blocks outside the cache)");
        return s;
    }

    static RocksStore open(Path dir, BenchConfig config, EngineOptions p) throws Exception {
        LRUCache cache = new LRUCache(config.blockCacheBytes);
        BloomFilter filter = new BloomFilter(config.bloomBitsPerKey, false);
        BlockBasedTableConfig table = new BlockBasedTableConfig()
                .setBlockCache(cache)
                .setFilterPolicy(filter)
                .setBlockSize(config.blockBytes);
        Options options = new Options()
                .setCreateIfMissing(true)
                .setTableFormatConfig(table)
                .setCompressionType(CompressionType.NO_COMPRESSION)
                .setBottommostCompressionType(CompressionType.NO_COMPRESSION)
                .setWriteBufferSize(p.memtableBytes())
                .setMaxWriteBufferNumber(p.immutableMemtablesMax() + 1)
                .setLevel0FileNumCompactionTrigger(p.l0CompactionTrigger())
                .setLevel0SlowdownWritesTrigger(p.l0SlowdownTrigger())
                .setLevel0StopWritesTrigger(p.l0StopTrigger())
                .setMaxBytesForLevelBase(p.levelBaseBytes())
                .setMaxBytesForLevelMultiplier(p.levelMultiplier())
                .setTargetFileSizeBase(p.targetSegmentBytes())
                .setNumLevels(p.levelsMax())
                .setMaxOpenFiles(p.openFilesMax());
        RocksDB db = RocksDB.open(options, dir.toString());
        return new RocksStore(db, options, cache, filter);
    }

    @Override
    public String name() {
        return "RocksDB";
    }

    @Override
    public void writeBatch(byte[][] keys, int[] order, int from, int to, ValuePool values) throws Exception {
        try (org.rocksdb.WriteBatch batch = new org.rocksdb.WriteBatch()) {
            for (int i = from; i < to; i++) {
                int id = order[i];
                batch.put(keys[id], values.forKey(id));
            }
            db.write(syncWrite, batch);
        }
    }

    @Override
    public void put(byte[] key, byte[] value) throws Exception {
        db.put(syncWrite, key, value);
    }

    @Override
    public byte[] get(byte[] key) throws Exception {
        return db.get(key);
    }

    @Override
    public int scan(byte[] from, int count) throws Exception {
        int n = 0;
        long sink = 0;
        try (RocksIterator it = db.newIterator(read)) {
            it.seek(from);
            while (n < count && it.isValid()) {
                sink += it.key().length + it.value().length;
                n++;
                it.next();
            }
            it.status();
        }
        Blackhole.consume(sink);
        return n;
    }

    @Override
    public void flushAndCompact() throws Exception {
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush);
        }
        db.compactRange();
    }

    @Override
    public String shape() throws Exception {
        List<String> files = new ArrayList<>();
        for (int level = 0; level < options.numLevels(); level++) {
            files.add(db.getProperty("rocksdb.num-files-at-level" + level));
        }
        return "files per level " + files;
    }

    private static final Pattern WAL = Pattern.compile("Cumulative WAL: (\\d+)([KMG]?) writes, (\\d+)([KMG]?) syncs");

    @Override
    public Map<String, Long> counters() throws Exception {
        Map<String, Long> m = new LinkedHashMap<>();
        Matcher matcher = WAL.matcher(db.getProperty("rocksdb.stats"));
        if (matcher.find()) {
            // RocksDB prints these rounded past 10,000 ("19K"): good enough for a writes-per-sync ratio.
            m.put("walRecords", human(matcher.group(1), matcher.group(2)));
            m.put("walSyncs", human(matcher.group(3), matcher.group(4)));
        }
        return m;
    }

    private static long human(String digits, String suffix) {
        long v = Long.parseLong(digits);
        return switch (suffix) {
            case "K" -> v * 1_000L;
            case "M" -> v * 1_000_000L;
            case "G" -> v * 1_000_000_000L;
            default -> v;
        };
    }

    @Override
    public void close() {
        read.close();
        syncWrite.close();
        db.close();
        options.close();
        filter.close();
        cache.close();
    }
}
