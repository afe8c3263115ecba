package io.phantomdb.server.pgwire;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's live connections: the count that max-connections limits (53300), and the process id and secret
 * key of each session (BackendKeyData) so a CancelRequest arriving on another connection finds the statement to
 * cancel. Thread-safe: connections register and leave from their own stream stages.
 */
final class Connections {
    private final int max;
    private final AtomicInteger admitted = new AtomicInteger();
    private final AtomicInteger nextProcessId = new AtomicInteger(1);
    private final Map<Integer, PgConnection> byProcessId = new ConcurrentHashMap<>();
    private final SecureRandom random;

    Connections(int max, SecureRandom random) {
        this.max = max;
        this.random = random;
    }

    /** Takes one of the max-connections slots; false when all are taken (the caller answers 53300). */
    boolean admit() {
        while (true) {
            int now = admitted.get();
            if (now >= max) {
                return false;
            }
            if (admitted.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Gives back a slot taken by {@link #admit}. */
    void release() {
        int left = admitted.decrementAndGet();
        if (left < 0) {
            throw new IllegalStateException("more connections released than admitted");
        }
    }

    int admitted() {
        return admitted.get();
    }

    int newProcessId() {
        return nextProcessId.getAndIncrement();
    }

    int newSecretKey() {
        return random.nextInt();
    }

    void register(PgConnection connection) {
        byProcessId.put(connection.processId(), connection);
    }

    void unregister(PgConnection connection) {
        byProcessId.remove(connection.processId(), connection);
    }

    /** Cancels the running statement of {@code processId} when {@code secretKey} is its key; otherwise nothing. */
    void cancel(int processId, int secretKey) {
        PgConnection target = byProcessId.get(processId);
        if (target != null && target.secretKey() == secretKey) {
            target.cancelRunning(PgConnection.CANCELED_BY_USER);
        }
    }

    /** Every registered connection (server stop closes them). */
    List<PgConnection> all() {
        return new ArrayList<>(byProcessId.values());
    }
}
