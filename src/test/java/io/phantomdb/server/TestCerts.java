package io.phantomdb.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Throwaway TLS material for tests: a self-signed RSA certificate for {@code CN=localhost} with subject alternative
 * names {@code DNS:localhost} and {@code IP:127.0.0.1}, made by the JDK's {@code keytool} in a directory the test owns
 * (a JUnit {@code @TempDir}). The certificate is its own CA: clients that verify trust {@link #certificatePem}.
 */
public final class TestCerts {
    /** keytool needs a second or two; a hung one must not hang the build. */
    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;
    private static final String ALIAS = "phantom-test";

    /** The PKCS12 key store (key + certificate), its password, and the certificate alone in PEM. */
    public record Material(Path keyStore, String password, Path certificatePem) {}

    private TestCerts() {}

    /** Creates {@code server.p12} and {@code server.pem} in {@code dir}. */
    public static Material create(Path dir) throws IOException, InterruptedException {
        Path keyStore = dir.resolve("server.p12");
        Path pem = dir.resolve("server.pem");
        String password = "test-password";
        run(List.of(keytool(), "-genkeypair", "-alias", ALIAS, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", password, "-keypass", password,
                "-dname", "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1", "-noprompt"), dir);
        run(List.of(keytool(), "-exportcert", "-rfc", "-alias", ALIAS, "-keystore", keyStore.toString(),
                "-storetype", "PKCS12", "-storepass", password, "-file", pem.toString()), dir);
        return new Material(keyStore, password, pem);
    }

    private static String keytool() {
        Path inJavaHome = Path.of(System.getProperty("java.home"), "bin", "keytool");
        return Files.isExecutable(inJavaHome) ? inJavaHome.toString() : "keytool";
    }

    private static void run(List<String> command, Path dir) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("keytool did not finish within " + KEYTOOL_TIMEOUT_SECONDS + " s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException("keytool failed (" + process.exitValue() + "): " + output);
        }
    }
}
