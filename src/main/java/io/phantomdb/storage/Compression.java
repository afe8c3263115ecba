package io.phantomdb.storage;

/** Compression of segment data blocks. The codes are written to disk: never change or reuse one. */
public enum Compression {
    NONE(0),
    LZ4(1);

    private final int code;

    Compression(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Compression fromCode(int code) {
        for (Compression c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown compression code " + code);
    }
}
