package io.phantomdb.catalog;

import io.phantomdb.storage.codec.KeyCodec;
import io.phantomdb.storage.codec.KeyOrder;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Storage keys of a table's rows and index entries (docs/formats/keys.md, "Table keys"):
 *
 * <pre>
 *   row:          (tableId, 0,       pk values...)                         -> RowCodec value
 *   index entry:  (tableId, indexId, indexed values..., pk values...)      -> empty value
 *   keyless row:  (tableId, 0,       rowId BIGINT)                         -> RowCodec value
 * </pre>
 *
 * Each element uses KeyCodec's memcomparable encoding in PostgreSQL's order (ASC NULLS LAST, DESC NULLS
 * FIRST), so a byte-range scan of an index returns rows in SQL order. Values are converted to the codec's
 * classes by column type ({@link #toKeyValue}); a probe value must already have the column's type.
 *
 * <p>The partition of a row is a stable hash of its encoded primary key (never change it: rows on disk are
 * placed by it). Stateless and thread-safe.
 */
public final class TableKeys {
    /** Index id of the rows themselves (the primary index). Frozen: written in every key. */
    public static final int PRIMARY_INDEX_ID = 0;

    private static final byte[] EMPTY = new byte[0];

    private TableKeys() {}

    /** Key of a row from its primary key values (already of the columns' types) or its row id. */
    public static byte[] rowKey(TableDef table, Object[] row) {
        List<Object> values = new ArrayList<>(2 + table.primaryKey().size());
        values.add(table.tableId());
        values.add(PRIMARY_INDEX_ID);
        for (int column : table.primaryKey()) {
            values.add(toKeyValue(row[column], table.columns().get(column).type()));
        }
        return KeyCodec.encode(values, ascending(values.size()));
    }

    /** Key of a keyless table's row. */
    public static byte[] rowIdKey(TableDef table, long rowId) {
        List<Object> values = List.of(table.tableId(), PRIMARY_INDEX_ID, rowId);
        return KeyCodec.encode(values, ascending(3));
    }

    /** The primary key part of a row key (everything after tableId and index id), for index entries. */
    public static List<Object> primaryKeyValues(byte[] rowKey) {
        List<Object> all = KeyCodec.decode(rowKey, new boolean[rowKey.length]); // more flags than elements: fine
        return all.subList(2, all.size());
    }

    /** Key of the index entry of {@code row} whose row key is {@code rowKey}. */
    public static byte[] indexKey(TableDef table, IndexDef index, Object[] row, byte[] rowKey) {
        List<Object> values = new ArrayList<>();
        List<KeyOrder> orders = new ArrayList<>();
        values.add(table.tableId());
        values.add(index.indexId());
        orders.add(KeyOrder.ASC_NULLS_LAST);
        orders.add(KeyOrder.ASC_NULLS_LAST);
        for (int i = 0; i < index.columns().size(); i++) {
            int column = index.columns().get(i);
            values.add(toKeyValue(row[column], table.columns().get(column).type()));
            orders.add(order(index.descending().get(i)));
        }
        for (Object pk : primaryKeyValues(rowKey)) {
            values.add(pk);
            orders.add(KeyOrder.ASC_NULLS_LAST);
        }
        return KeyCodec.encode(values, orders.toArray(new KeyOrder[0]));
    }

    /**
     * The encoded prefix {@code (tableId, indexId, values...)} for the first {@code values.size()} columns of
     * an index (or of the primary key for index id 0), for point and range probes.
     */
    public static byte[] indexPrefix(TableDef table, int indexId, List<Object> values) {
        List<Integer> columns = indexId == PRIMARY_INDEX_ID ? table.primaryKey() : table.indexById(indexId).columns();
        List<Object> encoded = new ArrayList<>();
        List<KeyOrder> orders = new ArrayList<>();
        encoded.add(table.tableId());
        encoded.add(indexId);
        orders.add(KeyOrder.ASC_NULLS_LAST);
        orders.add(KeyOrder.ASC_NULLS_LAST);
        for (int i = 0; i < values.size(); i++) {
            int column = columns.get(i);
            encoded.add(toKeyValue(values.get(i), table.columns().get(column).type()));
            boolean descending = indexId != PRIMARY_INDEX_ID && table.indexById(indexId).descending().get(i);
            orders.add(order(descending));
        }
        return KeyCodec.encode(encoded, orders.toArray(new KeyOrder[0]));
    }

    /** Smallest key after every key that extends {@code prefix} by at least one element. */
    public static byte[] afterPrefix(byte[] prefix) {
        byte[] high = Arrays.copyOf(prefix, prefix.length + 1);
        high[prefix.length] = (byte) 0xFF;
        return high;
    }

    /** Decodes an index entry key into its primary-key values (the suffix after the indexed columns). */
    public static List<Object> primaryKeyOfIndexEntry(TableDef table, IndexDef index, byte[] entryKey) {
        int indexed = index.columns().size();
        boolean[] descending = new boolean[2 + indexed + Math.max(1, table.primaryKey().size())];
        for (int i = 0; i < indexed; i++) {
            descending[2 + i] = index.descending().get(i);
        }
        List<Object> all = KeyCodec.decode(entryKey, descending);
        return all.subList(2 + indexed, all.size());
    }

    /** Row key from decoded primary-key values (as {@link #primaryKeyOfIndexEntry} returns them). */
    public static byte[] rowKeyFromValues(TableDef table, List<Object> primaryKeyValues) {
        List<Object> values = new ArrayList<>(2 + primaryKeyValues.size());
        values.add(table.tableId());
        values.add(PRIMARY_INDEX_ID);
        values.addAll(primaryKeyValues);
        return KeyCodec.encode(values, ascending(values.size()));
    }

    /** Range of all rows of the table (in any partition). */
    public static byte[] tableLow(TableDef table, int indexId) {
        return KeyCodec.encode(List.of(table.tableId(), indexId), ascending(2));
    }

    public static byte[] tableHigh(TableDef table, int indexId) {
        return afterPrefix(tableLow(table, indexId));
    }

    /** Partition (0..n-1) of a row key: stable hash of the key's bytes, never to be changed. */
    public static int partitionOf(byte[] rowKey, int partitions) {
        int h = 0x9747b28c;
        for (byte b : rowKey) {
            h = (h ^ (b & 0xFF)) * 0x01000193; // FNV-1a 32
        }
        h ^= h >>> 16; // spread the last bytes (the key's tail varies most) into the low bits
        return Math.floorMod(h, partitions);
    }

    /** A value as KeyCodec encodes it for a column of {@code type} (KeyCodec has no short/float/date). */
    public static Object toKeyValue(Object value, DataType type) {
        if (value == null) {
            return null;
        }
        switch (type) {
            case SMALLINT:
                return ((Short) value).intValue();
            case REAL:
                return ((Float) value).doubleValue();
            case DATE:
                return ((LocalDate) value).toEpochDay();
            case TIMESTAMP:
                return ChronoUnit.MICROS.between(LocalDateTime.of(1970, 1, 1, 0, 0), (LocalDateTime) value);
            default:
                if (!type.javaClass().isInstance(value)) {
                    throw new IllegalArgumentException("value " + value + " is not of type " + type);
                }
                return value;
        }
    }

    /** Inverse of {@link #toKeyValue}. */
    public static Object fromKeyValue(Object keyValue, DataType type) {
        if (keyValue == null) {
            return null;
        }
        switch (type) {
            case SMALLINT:
                return ((Integer) keyValue).shortValue();
            case REAL:
                return ((Double) keyValue).floatValue();
            case DATE:
                return LocalDate.ofEpochDay((Long) keyValue);
            case TIMESTAMP:
                long micros = (Long) keyValue;
                return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                        (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
            default:
                return keyValue;
        }
    }

    private static KeyOrder order(boolean descending) {
        return descending ? KeyOrder.DESC_NULLS_FIRST : KeyOrder.ASC_NULLS_LAST;
    }

    private static KeyOrder[] ascending(int n) {
        KeyOrder[] orders = new KeyOrder[n];
        Arrays.fill(orders, KeyOrder.ASC_NULLS_LAST);
        return orders;
    }
}
