package io.phantomdb.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * Where the {@code serve} shell reads its lines: a JLine 4 terminal (line editing, history, Ctrl-C clears
 * the line, Ctrl-D ends) when the process has a console, else plain stdin (a pipe or a file: no prompt,
 * no editing). Not thread-safe, except {@link #close()}.
 */
interface LineSource extends AutoCloseable {

    /** The next line, "" when the user interrupted the line, null at end of input. */
    String readLine();

    /** Where command output goes. */
    PrintWriter out();

    /** Where errors go. */
    PrintWriter err();

    @Override
    void close();

    /** A JLine terminal when there is a console and JLine can drive it, else plain stdin. */
    static LineSource open(InputStream in, PrintWriter out, PrintWriter err) {
        if (System.console() != null && in == System.in) {
            try {
                Terminal terminal = TerminalBuilder.builder().name("phantom").system(true).dumb(false).build();
                if (!Terminal.TYPE_DUMB.equals(terminal.getType()) && !Terminal.TYPE_DUMB_COLOR.equals(terminal.getType())) {
                    return new Interactive(terminal);
                }
                terminal.close();
            } catch (IOException | IllegalStateException e) {
                // No usable terminal (no provider for this platform): fall back to plain lines.
            }
        }
        return new Plain(in, out, err);
    }

    /** JLine 4: editing and history; the prompt shows the shell is waiting. */
    final class Interactive implements LineSource {
        static final String PROMPT = "phantom> ";
        /** Where typed lines are kept between runs (as psql's ~/.psql_history). */
        static final java.nio.file.Path HISTORY_FILE = java.nio.file.Path.of(System.getProperty("user.home"), ".phantom_history");
        /** Lines of history kept in memory and in the file. */
        static final int HISTORY_LINES_MAX = 1000;

        private final Terminal terminal;
        private final LineReader reader;
        /** Taken once: after a shutdown hook closed the terminal, terminal.writer() throws. */
        private final PrintWriter writer;

        Interactive(Terminal terminal) {
            this.terminal = terminal;
            this.reader = LineReaderBuilder.builder().terminal(terminal).appName("phantom")
                    .variable(LineReader.HISTORY_FILE, HISTORY_FILE)
                    .variable(LineReader.HISTORY_SIZE, HISTORY_LINES_MAX)
                    .variable(LineReader.HISTORY_FILE_SIZE, HISTORY_LINES_MAX)
                    .build();
            this.writer = terminal.writer();
        }

        @Override
        public String readLine() {
            try {
                return reader.readLine(PROMPT);
            } catch (UserInterruptException e) {
                writer.println("(interrupted; type quit or press Ctrl-D to leave)");
                return "";
            } catch (EndOfFileException e) {
                return null;
            } catch (IllegalStateException e) {
                return null; // the terminal was closed under us (shutdown): no more input
            }
        }

        @Override
        public PrintWriter out() {
            return writer;
        }

        @Override
        public PrintWriter err() {
            return writer;
        }

        @Override
        public void close() {
            try {
                terminal.close();
            } catch (IOException e) {
                // Restoring terminal attributes failed while shutting down: nothing left to do.
            }
        }
    }

    /** Lines from a stream, as typed into a pipe: no prompt. */
    final class Plain implements LineSource {
        private final BufferedReader reader;
        private final PrintWriter out;
        private final PrintWriter err;

        Plain(InputStream in, PrintWriter out, PrintWriter err) {
            this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            this.out = out;
            this.err = err;
        }

        @Override
        public String readLine() {
            try {
                return reader.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException("reading commands from stdin", e);
            }
        }

        @Override
        public PrintWriter out() {
            return out;
        }

        @Override
        public PrintWriter err() {
            return err;
        }

        @Override
        public void close() {
            out.flush();
            err.flush();
        }
    }
}
