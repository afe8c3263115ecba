/**
 * The {@code phantom} command line (picocli): {@code version}, one-shot {@code kv} operations and the
 * {@code serve} shell (JLine); an entry point, so it may import every layer below it plus picocli, JLine
 * and Logback, and its entry class is {@link io.phantomdb.cli.PhantomMain}.
 */
package io.phantomdb.cli;
