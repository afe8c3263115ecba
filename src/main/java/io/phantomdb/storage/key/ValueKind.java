package io.phantomdb.storage.key;

/**
 * What a version of a key holds. The codes are written to disk (WAL, segments): never change or reuse
 * one; retire it with a comment instead.
 */
public enum ValueKind {
    /** A tombstone: the key has no value at this timestamp. */
    DELETE(0),
    /** A value. */
    PUT(1);

    private final int code;

    ValueKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static ValueKind fromCode(int code) {
        switch (code) {
            case 0:
                return DELETE;
            case 1:
                return PUT;
            default:
                throw new IllegalArgumentException("unknown value kind " + code);
        }
    }
}
