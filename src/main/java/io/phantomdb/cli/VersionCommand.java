package io.phantomdb.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code phantom version} (same text as {@code phantom --version}): product version, Java and OS. */
@Command(name = "version", description = "Prints the Phantom-DB version, the Java runtime and the OS.")
final class VersionCommand implements Callable<Integer> {

    private static final String MAVEN_PROPERTIES = "/META-INF/maven/io.phantomdb/phantom-db/pom.properties";
    static final String UNKNOWN_VERSION = "development build";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        for (String line : lines()) {
            spec.commandLine().getOut().println(line);
        }
        return PhantomMain.EXIT_OK;
    }

    static String[] lines() {
        return new String[] {
            "Phantom-DB " + version(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
                    + System.getProperty("java.home") + ")",
            "OS " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                    + System.getProperty("os.arch"),
        };
    }

    /**
     * The jar manifest's version, else the pom.properties Maven puts into the jar, else "development build"
     * (running from target/classes, e.g. {@code mvn exec:java}).
     */
    static String version() {
        String fromManifest = VersionCommand.class.getPackage().getImplementationVersion();
        if (fromManifest != null) {
            return fromManifest;
        }
        String fromMaven = readVersion(MAVEN_PROPERTIES);
        return fromMaven != null ? fromMaven : UNKNOWN_VERSION;
    }

    private static String readVersion(String resource) {
        try (InputStream in = VersionCommand.class.getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version");
            return version == null || version.isBlank() || version.contains("${") ? null : version.trim();
        } catch (IOException e) {
            return null;
        }
    }

    /** Feeds {@code --version}. */
    static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return lines();
        }
    }
}
