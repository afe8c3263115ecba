package io.phantomdb.node;

/**
 * A setting in {@code conf/} is missing its type, out of its bound, inconsistent with another setting or
 * unknown (a typo). Always names the full HOCON path ({@link #key()}) and, when known, the file and line,
 * so that the operator knows exactly what to fix. Thrown at startup, never later: a node with a bad
 * configuration does not start.
 */
public final class InvalidConfigException extends RuntimeException {

    private final String key;

    public InvalidConfigException(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
    }

    public InvalidConfigException(String key, String problem, Throwable cause) {
        super(key + ": " + problem, cause);
        this.key = key;
    }

    /** The full HOCON path of the offending setting, for example {@code phantom.storage.memtable-size}. */
    public String key() {
        return key;
    }
}
