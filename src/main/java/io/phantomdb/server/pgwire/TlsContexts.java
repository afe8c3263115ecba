package io.phantomdb.server.pgwire;

import io.phantomdb.node.InvalidConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** Builds the server's SSLContext from the PKCS12 key store of {@code phantom.pgwire.tls}. */
final class TlsContexts {
    private TlsContexts() {}

    /** The context, or null when TLS is off; a missing or unreadable key store stops the server with the key named. */
    static SSLContext create(PgWireSettings.Tls tls) {
        if (!tls.enabled()) {
            return null;
        }
        char[] password = tls.keyStorePassword().toCharArray();
        try (InputStream in = Files.newInputStream(tls.keyStore())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new InvalidConfigException(PgWireSettings.PATH + ".tls.key-store",
                    "cannot load PKCS12 key store " + tls.keyStore() + ": " + e.getMessage(), e);
        }
    }
}
