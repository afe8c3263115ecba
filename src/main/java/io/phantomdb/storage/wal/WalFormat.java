package io.phantomdb.storage.wal;

import java.util.Locale;
import java.util.OptionalLong;

/**
 * Names and numbers of the write-ahead log: file naming, and the fixed sizes of the record payload that
 * {@link WalRecord} codes. The grammar, file lifecycle and torn-tail rule are in docs/formats/wal.md;
 * the frame around each payload is {@link io.phantomdb.storage.log.LogFormat}.
 *
 * <p>Every number here reaches disk or a directory listing: never change one.
 */
public final class WalFormat {

    /** Suffix of a WAL file; the rest of the name is the file number. See wal.md, "Files". */
    public static final String FILE_SUFFIX = ".wal";
    /**
     * The file number is zero-padded to at least 6 digits so that names of the first million files sort
     * the same as their numbers in a plain listing; larger numbers simply grow longer.
     */
    public static final int FILE_NUMBER_DIGITS_MIN = 6;
    /**
     * The spare WAL file, zero-filled ahead of time and renamed to the next WAL number when the log
     * switches files (decision D26). It never holds a record: recovery deletes it. Not a {@link
     * #parseFileNumber} name, so nothing reads it as a WAL file. See wal.md, "The spare file".
     */
    public static final String SPARE_FILE_NAME = "WAL-SPARE.tmp";

    /** The commit timestamp at the start of every payload: a big-endian u64. See wal.md, "Record". */
    public static final int TIMESTAMP_BYTES = 8;
    /** The smallest operation: a kind byte and a one-byte key length (a DELETE of the empty key). */
    public static final int OPERATION_BYTES_MIN = 2;
    /** Smallest encoded batch inside a record: a timestamp and a one-byte operation count. */
    public static final int BATCH_BYTES_MIN = TIMESTAMP_BYTES + 1;

    private WalFormat() {}

    /** {@code 000042.wal} for 42. File numbers are positive: the manifest hands them out from 1. */
    public static String fileName(long fileNumber) {
        if (fileNumber <= 0) {
            throw new IllegalArgumentException("file number must be positive: " + fileNumber);
        }
        // Locale.ROOT: some default locales would format the digits in another script.
        return String.format(Locale.ROOT, "%0" + FILE_NUMBER_DIGITS_MIN + "d%s", fileNumber, FILE_SUFFIX);
    }

    /**
     * The number of a WAL file name, or empty if {@code name} is not one. Accepts exactly the names
     * {@link #fileName} produces, so no two names can claim one number ({@code 0000042.wal} is not a WAL).
     */
    public static OptionalLong parseFileNumber(String name) {
        if (!name.endsWith(FILE_SUFFIX)) {
            return OptionalLong.empty();
        }
        String digits = name.substring(0, name.length() - FILE_SUFFIX.length());
        if (digits.length() < FILE_NUMBER_DIGITS_MIN || digits.length() > 19 || !allDigits(digits)) {
            return OptionalLong.empty();
        }
        long number;
        try {
            number = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return OptionalLong.empty(); // 19 digits above Long.MAX_VALUE
        }
        if (number <= 0 || !fileName(number).equals(name)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(number);
    }

    private static boolean allDigits(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
