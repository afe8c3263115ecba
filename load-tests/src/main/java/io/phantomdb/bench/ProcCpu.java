package io.phantomdb.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * CPU time (user + system) of a process and all its descendants, from {@code /proc/<pid>/stat}: the server side
 * of a wire benchmark runs in other processes (PostgreSQL's postmaster and one backend per connection;
 * Phantom's child JVM), whose CPU the benchmark JVM's own figure does not count. Linux only; -1 elsewhere.
 */
final class ProcCpu {

    /** Clock ticks per second of /proc's utime and stime ({@code getconf CLK_TCK}; 100 on Linux/x86 and arm64). */
    private static final long TICKS_PER_SECOND = ticksPerSecond();

    private ProcCpu() {}

    /** CPU nanoseconds of {@code pid} and its live descendants, or -1 when /proc cannot tell. */
    static long treeNanos(long pid) {
        ProcessHandle root = ProcessHandle.of(pid).orElse(null);
        if (root == null) {
            return -1;
        }
        long ticks = ticks(pid);
        if (ticks < 0) {
            return -1;
        }
        for (ProcessHandle p : root.descendants().toList()) {
            ticks += Math.max(0, ticks(p.pid()));
        }
        return ticks * (1_000_000_000L / TICKS_PER_SECOND);
    }

    /** utime + stime of one process (all its threads), in clock ticks; -1 when unreadable (gone, not Linux). */
    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 (utime) and 15 (stime)
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long ticksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return Long.parseLong(out);
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
