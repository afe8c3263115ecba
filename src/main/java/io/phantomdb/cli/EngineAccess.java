package io.phantomdb.cli;

import io.phantomdb.storage.Engine;

/**
 * How a key-value command reaches an engine: {@link KvCommand} opens one for the single command and closes
 * it; the {@code serve} shell lends the engine it keeps open. The commands themselves ({@link KvCommands})
 * are the same in both places.
 */
interface EngineAccess {

    /** Runs {@code action} against an open engine and returns its exit code. */
    int withEngine(EngineAction action);

    /** A command body that needs an engine. */
    @FunctionalInterface
    interface EngineAction {
        int run(Engine engine);
    }
}
