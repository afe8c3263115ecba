package io.phantomdb.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** The server's {@link SSLContext} from the PKCS12 key store of {@code phantom.http.tls}. */
final class TlsContexts {
    private TlsContexts() {}

    static SSLContext server(HttpSettings.Tls tls) {
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
            throw new IllegalArgumentException("phantom.http.tls.key-store " + tls.keyStore() + " cannot be loaded: " + e.getMessage(), e);
        }
    }
}
