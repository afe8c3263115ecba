package io.phantomdb.exec.operator;

import java.util.Arrays;

/** A growable list of int positions (build-row numbers of a join bucket) without boxing. */
final class IndexList {
    /** Heap bytes one entry adds, for memory accounting (amortized growth included). */
    static final int BYTES_PER_ENTRY = 8;

    private int[] items = new int[2];
    private int size;

    void add(int value) {
        if (size == items.length) {
            items = Arrays.copyOf(items, size * 2);
        }
        items[size++] = value;
    }

    int size() {
        return size;
    }

    int get(int index) {
        return items[index];
    }
}
