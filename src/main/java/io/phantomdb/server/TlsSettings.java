package io.phantomdb.server;

import com.typesafe.config.Config;
import io.phantomdb.node.InvalidConfigException;
import io.phantomdb.node.KnownKeys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The {@code tls} block of a server ({@code phantom.pgwire.tls}, {@code phantom.http.tls}): on or off, and the PKCS12
 * key store holding the server's key and certificate chain. Both servers read and load it the same way.
 */
public record TlsSettings(boolean enabled, Path keyStore, String keyStorePassword) {
    private static final Set<String> KEYS = Set.of("enabled", "key-store", "key-store-password");

    public TlsSettings {
        Objects.requireNonNull(keyStorePassword, "keyStorePassword");
        if (enabled && keyStore == null) {
            throw new IllegalArgumentException("tls.enabled needs tls.key-store");
        }
    }

    public static TlsSettings off() {
        return new TlsSettings(false, null, "");
    }

    /**
     * Parses the {@code tls} block inside {@code server} (a server's block, found at {@code serverPath}; absent:
     * off); unknown keys stop the node, named by their full path.
     */
    public static TlsSettings fromConfig(Config server, String serverPath) {
        if (!server.hasPath("tls")) {
            return off();
        }
        Config c = server.getConfig("tls");
        KnownKeys.require(c, serverPath + ".tls", KEYS);
        boolean enabled = c.hasPath("enabled") && c.getBoolean("enabled");
        String store = c.hasPath("key-store") ? c.getString("key-store") : "";
        return new TlsSettings(enabled, store.isBlank() ? null : Path.of(store),
                c.hasPath("key-store-password") ? c.getString("key-store-password") : "");
    }

    /**
     * The server's SSLContext, or null when TLS is off; a missing or unreadable key store stops the server with
     * {@code path}.key-store named.
     */
    public SSLContext serverContext(String path) {
        if (!enabled) {
            return null;
        }
        char[] password = keyStorePassword.toCharArray();
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new InvalidConfigException(path + ".key-store", "cannot load PKCS12 key store " + keyStore + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() { // never print the password
        return "TlsSettings[enabled=" + enabled + ", keyStore=" + keyStore + "]";
    }
}
