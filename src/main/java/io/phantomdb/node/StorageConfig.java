package io.phantomdb.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.phantomdb.storage.Compression;
import io.phantomdb.storage.Durability;
import io.phantomdb.storage.EngineOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps the HOCON block {@code phantom.storage} (documented key by key in {@code conf/phantom.conf}) onto
 * {@link EngineOptions}, so that the storage layer never sees a configuration library.
 *
 * <p>Rules, all enforced at startup:
 * <ul>
 *   <li>A key that is absent keeps the {@link EngineOptions.Builder} default; {@code conf/phantom.conf}
 *       spells out the same defaults (StorageConfigTest keeps the two equal).</li>
 *   <li>An unknown key under {@code phantom.storage} is an error (a typo must not silently leave a
 *       default in force).</li>
 *   <li>Sizes are HOCON sizes ({@code "64 MiB"}), durations HOCON durations ({@code "100 ms"}); a
 *       duration that is not a whole number of the engine's unit is an error, never rounded.</li>
 *   <li>Out-of-bound or inconsistent values are rejected, not clamped: the bounds are those of {@link
 *       EngineOptions#validate()} (one place), and the error names the HOCON key, the value and where it
 *       was set.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class StorageConfig {

    /** The HOCON path of the block this class reads. */
    public static final String PATH = "phantom.storage";

    private static final String ENGINE_RULE_PREFIX = "invalid engine option: ";
    private static final Pattern LEADING_IDENTIFIER = Pattern.compile("^([A-Za-z0-9]+)");

    /** How one key is read and applied to the builder. */
    @FunctionalInterface
    private interface Apply {
        void apply(Reader reader, EngineOptions.Builder builder);
    }

    /** One documented key: its name under {@code phantom.storage}, the EngineOptions field, the reader. */
    private record Setting(String key, String field, Apply apply) {}

    /** Every key, in the order of conf/phantom.conf. */
    private static final Map<String, Setting> SETTINGS = new LinkedHashMap<>();

    static {
        add("durability", "durability", (r, b) -> b.durability(r.durability("durability")));
        add("periodic-sync-interval", "periodicSyncMillis",
                (r, b) -> b.periodicSyncMillis(r.millis("periodic-sync-interval")));
        add("memtable-size", "memtableBytes", (r, b) -> b.memtableBytes(r.bytes("memtable-size")));
        add("immutable-memtables-max", "immutableMemtablesMax",
                (r, b) -> b.immutableMemtablesMax(r.integer("immutable-memtables-max")));
        add("write-queue-max", "writeQueueMax", (r, b) -> b.writeQueueMax(r.integer("write-queue-max")));
        add("group-commit-size-max", "groupCommitBytesMax",
                (r, b) -> b.groupCommitBytesMax(r.bytes("group-commit-size-max")));
        add("group-commit-wait-max", "groupCommitWaitMicrosMax",
                (r, b) -> b.groupCommitWaitMicrosMax(r.micros("group-commit-wait-max")));
        add("wal-preallocate-size", "walPreallocateBytes",
                (r, b) -> b.walPreallocateBytes(r.bytes("wal-preallocate-size")));
        add("block-size", "blockBytes", (r, b) -> b.blockBytes(r.intBytes("block-size")));
        add("compression", "compression", (r, b) -> b.compression(r.compression("compression")));
        add("bloom-bits-per-key", "bloomBitsPerKey", (r, b) -> b.bloomBitsPerKey(r.integer("bloom-bits-per-key")));
        add("block-cache-size", "blockCacheBytes", (r, b) -> b.blockCacheBytes(r.bytes("block-cache-size")));
        add("open-files-max", "openFilesMax", (r, b) -> b.openFilesMax(r.integer("open-files-max")));
        add("l0-compaction-trigger", "l0CompactionTrigger",
                (r, b) -> b.l0CompactionTrigger(r.integer("l0-compaction-trigger")));
        add("l0-slowdown-trigger", "l0SlowdownTrigger",
                (r, b) -> b.l0SlowdownTrigger(r.integer("l0-slowdown-trigger")));
        add("l0-stop-trigger", "l0StopTrigger", (r, b) -> b.l0StopTrigger(r.integer("l0-stop-trigger")));
        add("slowdown-delay", "slowdownDelayMicros", (r, b) -> b.slowdownDelayMicros(r.micros("slowdown-delay")));
        add("write-stall-timeout", "writeStallTimeoutMillis",
                (r, b) -> b.writeStallTimeoutMillis(r.millis("write-stall-timeout")));
        add("level-base-size", "levelBaseBytes", (r, b) -> b.levelBaseBytes(r.bytes("level-base-size")));
        add("level-multiplier", "levelMultiplier", (r, b) -> b.levelMultiplier(r.integer("level-multiplier")));
        add("levels-max", "levelsMax", (r, b) -> b.levelsMax(r.integer("levels-max")));
        add("target-segment-size", "targetSegmentBytes",
                (r, b) -> b.targetSegmentBytes(r.bytes("target-segment-size")));
        add("compaction-rate-limit", "compactionBytesPerSecond",
                (r, b) -> b.compactionBytesPerSecond(r.bytes("compaction-rate-limit")));
    }

    private static void add(String key, String field, Apply apply) {
        Setting previous = SETTINGS.put(key, new Setting(key, field, apply));
        if (previous != null) {
            throw new IllegalStateException("duplicate storage setting " + key);
        }
    }

    private StorageConfig() {}

    /** HOCON key -> EngineOptions record component it sets (tests check every component is covered). */
    static Map<String, String> fieldsByKey() {
        Map<String, String> fields = new LinkedHashMap<>();
        SETTINGS.values().forEach(setting -> fields.put(setting.key(), setting.field()));
        return fields;
    }

    /** The keys this class understands under {@code phantom.storage}, in documentation order. */
    public static List<String> keys() {
        return List.copyOf(SETTINGS.keySet());
    }

    /**
     * Reads {@code phantom.storage} from {@code root} (a resolved config). A missing block means all
     * defaults.
     *
     * @throws InvalidConfigException naming the first offending key
     */
    public static EngineOptions fromConfig(Config root) {
        if (!root.hasPathOrNull(PATH)) {
            return EngineOptions.builder().build();
        }
        ConfigValue block = root.getValue(PATH);
        if (block.valueType() != ConfigValueType.OBJECT) {
            throw new InvalidConfigException(PATH, "must be an object { ... }, got " + block.valueType()
                    + origin(block));
        }
        Config storage = root.getConfig(PATH);
        rejectUnknownKeys(storage);
        Reader reader = new Reader(storage);
        EngineOptions.Builder builder = EngineOptions.builder();
        for (Setting setting : SETTINGS.values()) {
            if (storage.hasPathOrNull(setting.key())) {
                setting.apply().apply(reader, builder);
            }
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw translateEngineRule(e, storage);
        }
    }

    private static void rejectUnknownKeys(Config storage) {
        Set<String> unknown = new TreeSet<>(storage.root().keySet());
        unknown.removeAll(SETTINGS.keySet());
        if (!unknown.isEmpty()) {
            String first = unknown.iterator().next();
            throw new InvalidConfigException(PATH + "." + first, "unknown setting" + origin(storage.root().get(first))
                    + "; known settings: " + String.join(", ", SETTINGS.keySet()));
        }
    }

    /** Turns EngineOptions' "invalid engine option: memtableBytes in [...]" into an error naming the key. */
    private static InvalidConfigException translateEngineRule(IllegalArgumentException e, Config storage) {
        String message = String.valueOf(e.getMessage());
        String rule = message.startsWith(ENGINE_RULE_PREFIX) ? message.substring(ENGINE_RULE_PREFIX.length()) : message;
        Matcher matcher = LEADING_IDENTIFIER.matcher(rule);
        String field = matcher.find() ? matcher.group(1) : "";
        for (Setting setting : SETTINGS.values()) {
            if (setting.field().equals(field)) {
                String got = storage.hasPath(setting.key())
                        ? "got " + storage.getValue(setting.key()).render() + origin(storage.getValue(setting.key()))
                        : "not set, default in force";
                return new InvalidConfigException(PATH + "." + setting.key(),
                        "out of bounds: requires " + inKeyNames(rule) + " (EngineOptions: " + rule + "); " + got, e);
            }
        }
        return new InvalidConfigException(PATH, "rejected by the engine: " + rule, e);
    }

    /** The rule with every EngineOptions field name replaced by its HOCON key (longest names first). */
    private static String inKeyNames(String rule) {
        List<Setting> byFieldLength = new ArrayList<>(SETTINGS.values());
        byFieldLength.sort((a, b) -> Integer.compare(b.field().length(), a.field().length()));
        String translated = rule;
        for (Setting setting : byFieldLength) {
            translated = translated.replaceAll("\\b" + setting.field() + "\\b", setting.key());
        }
        return translated;
    }

    static String origin(ConfigValue value) {
        if (value == null || value.origin() == null) {
            return "";
        }
        String description = value.origin().description();
        return description == null || description.isEmpty() ? "" : " (" + description + ")";
    }

    /** Typed reads of one key of the block, each failure naming the full key. */
    private static final class Reader {
        private final Config storage;

        Reader(Config storage) {
            this.storage = storage;
        }

        Durability durability(String key) {
            return enumValue(key, Durability.class);
        }

        Compression compression(String key) {
            return enumValue(key, Compression.class);
        }

        private <E extends Enum<E>> E enumValue(String key, Class<E> type) {
            String text = read(key, () -> storage.getString(key));
            for (E candidate : type.getEnumConstants()) {
                if (candidate.name().toLowerCase(Locale.ROOT).equals(text)) {
                    return candidate;
                }
            }
            List<String> allowed = new ArrayList<>();
            for (E candidate : type.getEnumConstants()) {
                allowed.add(candidate.name().toLowerCase(Locale.ROOT));
            }
            throw new InvalidConfigException(PATH + "." + key, "must be one of " + String.join(" | ", allowed)
                    + ", got \"" + text + "\"" + origin(storage.getValue(key)));
        }

        int integer(String key) {
            return read(key, () -> storage.getInt(key));
        }

        long bytes(String key) {
            long value = read(key, () -> storage.getBytes(key));
            if (value < 0) {
                throw new InvalidConfigException(PATH + "." + key, "a size must not be negative, got " + value
                        + origin(storage.getValue(key)));
            }
            return value;
        }

        int intBytes(String key) {
            long value = bytes(key);
            if (value > Integer.MAX_VALUE) {
                throw new InvalidConfigException(PATH + "." + key, "must be below 2 GiB, got " + value + " bytes"
                        + origin(storage.getValue(key)));
            }
            return (int) value;
        }

        long millis(String key) {
            return wholeUnits(key, Duration.ofMillis(1), "milliseconds");
        }

        long micros(String key) {
            return wholeUnits(key, Duration.ofNanos(1_000), "microseconds");
        }

        private long wholeUnits(String key, Duration unit, String unitName) {
            Duration value = read(key, () -> storage.getDuration(key));
            if (value.isNegative()) {
                throw new InvalidConfigException(PATH + "." + key, "a duration must not be negative, got "
                        + storage.getValue(key).render() + origin(storage.getValue(key)));
            }
            long nanos;
            try {
                nanos = value.toNanos();
            } catch (ArithmeticException e) {
                throw new InvalidConfigException(PATH + "." + key, "duration too long" + origin(storage.getValue(key)), e);
            }
            long unitNanos = unit.toNanos();
            if (nanos % unitNanos != 0) {
                throw new InvalidConfigException(PATH + "." + key, "must be a whole number of " + unitName + ", got "
                        + storage.getValue(key).render() + origin(storage.getValue(key)));
            }
            return nanos / unitNanos;
        }

        private <T> T read(String key, Supplier<T> getter) {
            try {
                return getter.get();
            } catch (ConfigException e) {
                throw new InvalidConfigException(PATH + "." + key, e.getMessage(), e);
            }
        }
    }
}
