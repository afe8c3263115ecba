package io.phantomdb.bench;

/** Keeps results alive so the JIT cannot drop the work that produced them. */
final class Blackhole {

    private static volatile long sink;

    private Blackhole() {}

    static void consume(long value) {
        if (value == 0x5eed_5eed_5eedL) {
            sink = value;
        }
    }

    static void consume(byte[] value) {
        if (value != null && value.length == Integer.MAX_VALUE) {
            sink = value.length;
        }
    }

    static long sink() {
        return sink;
    }
}
