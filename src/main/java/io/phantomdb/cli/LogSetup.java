package io.phantomdb.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import io.phantomdb.node.NodeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Points Logback at {@code logback.xml} beside the configuration file, before anything logs. Logback reads
 * its configuration once, at the first logger lookup, so {@link PhantomMain#main} calls this first (tests
 * that run commands in-process keep whatever logging their JVM has).
 *
 * <p>Without a {@code logback.xml} Logback would log DEBUG to stdout, which is where command results go;
 * so the fallback is WARN and above, to stderr.
 */
final class LogSetup {

    static final String LOGBACK_PROPERTY = "logback.configurationFile";
    private static final String FALLBACK_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %msg%n";

    private LogSetup() {}

    /** The value of {@code --config FILE} or {@code --config=FILE} in raw arguments, or null. */
    static Path configFileArgument(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith("--config=")) {
                return Path.of(args[i].substring("--config=".length()));
            }
        }
        return null;
    }

    /** Chooses the Logback configuration; an explicit {@code -Dlogback.configurationFile} wins. */
    static void configure(Path explicitConfigFile) {
        if (System.getProperty(LOGBACK_PROPERTY) != null) {
            return;
        }
        Path configFile = explicitConfigFile;
        if (configFile == null && Files.isRegularFile(NodeConfig.DEFAULT_CONFIG_FILE)) {
            configFile = NodeConfig.DEFAULT_CONFIG_FILE;
        }
        if (configFile != null) {
            Path directory = configFile.toAbsolutePath().getParent();
            Path logback = directory == null ? null : directory.resolve(NodeConfig.LOGBACK_FILE_NAME);
            if (logback != null && Files.isRegularFile(logback)) {
                System.setProperty(LOGBACK_PROPERTY, logback.toString());
                return;
            }
        }
        quietFallback();
    }

    private static void quietFallback() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext)) {
            return;
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(FALLBACK_PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(appender);
    }
}
