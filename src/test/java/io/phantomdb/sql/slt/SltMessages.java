package io.phantomdb.sql.slt;

import java.util.concurrent.ExecutionException;

/** Short one-line texts for failure reasons: a report line should stay readable with thousands of them. */
final class SltMessages {

    static final int MAX_REASON = 300;

    private SltMessages() {
    }

    /** {@code text} on one line, cut to {@code max} characters with "..." when longer. */
    static String shorten(String text, int max) {
        String oneLine = text.replaceAll("\\s*[\\r\\n]+\\s*", " ");
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, Math.max(0, max - 3)) + "...";
    }

    /** The class and message of an exception thrown by the engine. */
    static String describe(Throwable e) {
        // SltWorker wraps an Error thrown by the engine; show the Error itself.
        Throwable shown = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        String message = shown.getMessage() == null ? "" : ": " + shown.getMessage();
        return shorten(shown.getClass().getSimpleName() + message, 200);
    }
}
