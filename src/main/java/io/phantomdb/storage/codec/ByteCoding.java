package io.phantomdb.storage.codec;

/**
 * Fixed-width (big-endian) and variable-width (LEB128 varint) integer coding, as LevelDB's
 * {@code util/coding}. Every on-disk integer in Phantom-DB is big-endian unless a format doc says
 * otherwise; varints are unsigned LEB128, at most 10 bytes.
 */
public final class ByteCoding {

    /** Longest varint64 encoding. */
    public static final int VARINT64_BYTES_MAX = 10;

    private ByteCoding() {}

    public static void putInt(byte[] buffer, int offset, int value) {
        buffer[offset] = (byte) (value >>> 24);
        buffer[offset + 1] = (byte) (value >>> 16);
        buffer[offset + 2] = (byte) (value >>> 8);
        buffer[offset + 3] = (byte) value;
    }

    public static int getInt(byte[] buffer, int offset) {
        return ((buffer[offset] & 0xFF) << 24) | ((buffer[offset + 1] & 0xFF) << 16)
                | ((buffer[offset + 2] & 0xFF) << 8) | (buffer[offset + 3] & 0xFF);
    }

    public static void putLong(byte[] buffer, int offset, long value) {
        putInt(buffer, offset, (int) (value >>> 32));
        putInt(buffer, offset + 4, (int) value);
    }

    public static long getLong(byte[] buffer, int offset) {
        return ((long) getInt(buffer, offset) << 32) | (getInt(buffer, offset + 4) & 0xFFFFFFFFL);
    }

    /** Bytes {@link #putVarLong} writes for {@code value}. */
    public static int varLongSize(long value) {
        int size = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            size++;
        }
        return size;
    }

    /** Writes an unsigned LEB128 varint; returns the offset after it. */
    public static int putVarLong(byte[] buffer, int offset, long value) {
        while ((value & ~0x7FL) != 0) {
            buffer[offset++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buffer[offset++] = (byte) value;
        return offset;
    }

    /**
     * A cursor over a byte array for reading varints and fixed-width fields. Throws {@link
     * IllegalArgumentException} on a malformed or truncated value, which callers turn into a
     * corruption error naming the file and offset.
     */
    public static final class Reader {
        private final byte[] buffer;
        private int position;
        private final int limit;

        public Reader(byte[] buffer, int offset, int limit) {
            this.buffer = buffer;
            this.position = offset;
            this.limit = limit;
        }

        public Reader(byte[] buffer) {
            this(buffer, 0, buffer.length);
        }

        public int position() {
            return position;
        }

        public int remaining() {
            return limit - position;
        }

        public long varLong() {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                require(1);
                byte b = buffer[position++];
                result |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
            }
            throw new IllegalArgumentException("varint longer than " + VARINT64_BYTES_MAX + " bytes at " + position);
        }

        /** A varint that must fit a non-negative int no larger than {@code max}. */
        public int varInt(int max) {
            long value = varLong();
            if (value < 0 || value > max) {
                throw new IllegalArgumentException("length " + value + " exceeds " + max + " at " + position);
            }
            return (int) value;
        }

        public int u8() {
            require(1);
            return buffer[position++] & 0xFF;
        }

        public int int32() {
            require(4);
            int v = getInt(buffer, position);
            position += 4;
            return v;
        }

        public long int64() {
            require(8);
            long v = getLong(buffer, position);
            position += 8;
            return v;
        }

        public byte[] bytes(int length) {
            require(length);
            byte[] out = java.util.Arrays.copyOfRange(buffer, position, position + length);
            position += length;
            return out;
        }

        /**
         * Moves past the next {@code length} bytes (bounds-checked) and returns where they start in {@link #array},
         * for a caller that reads them in place instead of copying them ({@link #bytes}).
         */
        public int skip(int length) {
            require(length);
            int at = position;
            position += length;
            return at;
        }

        /** The array this reader reads; bytes are addressed by the offsets {@link #skip} returns. Not to be written. */
        public byte[] array() {
            return buffer;
        }

        private void require(int n) {
            if (n < 0 || limit - position < n) {
                throw new IllegalArgumentException("truncated: need " + n + " bytes at " + position + ", have "
                        + (limit - position));
            }
        }
    }

    /** A growable byte buffer for building records. Not thread-safe. */
    public static final class Writer {
        private byte[] buffer;
        private int size;

        public Writer(int initialCapacity) {
            buffer = new byte[Math.max(16, initialCapacity)];
        }

        public int size() {
            return size;
        }

        public void reset() {
            size = 0;
        }

        public byte[] array() {
            return buffer;
        }

        public byte[] toByteArray() {
            return java.util.Arrays.copyOf(buffer, size);
        }

        private void ensure(int extra) {
            if (size + extra > buffer.length) {
                buffer = java.util.Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + extra));
            }
        }

        public Writer u8(int value) {
            ensure(1);
            buffer[size++] = (byte) value;
            return this;
        }

        public Writer int32(int value) {
            ensure(4);
            putInt(buffer, size, value);
            size += 4;
            return this;
        }

        public Writer int64(long value) {
            ensure(8);
            putLong(buffer, size, value);
            size += 8;
            return this;
        }

        public Writer varLong(long value) {
            ensure(VARINT64_BYTES_MAX);
            size = putVarLong(buffer, size, value);
            return this;
        }

        public Writer bytes(byte[] bytes, int offset, int length) {
            ensure(length);
            System.arraycopy(bytes, offset, buffer, size, length);
            size += length;
            return this;
        }

        public Writer bytes(byte[] bytes) {
            return bytes(bytes, 0, bytes.length);
        }

        /** Varint length followed by the bytes. */
        public Writer lengthPrefixed(byte[] bytes) {
            varLong(bytes.length);
            return bytes(bytes);
        }
    }
}
