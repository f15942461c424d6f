package io.torque.core.internal.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

import io.netty.handler.ssl.SslContextBuilder;
import io.torque.core.tls.ClientAuth;
import io.torque.core.tls.TlsConfig;
import io.torque.core.tls.TlsProvider;

/** Makes servers' configurations from the builder's choices. Internal API. */
public final class ServerContexts {
    /** The alias of the PEM default certificate in the in-memory key store. */
    static final String DEFAULT_ALIAS = "torque-default";

    private ServerContexts() {
    }

    /**
     * Reads the files and makes the configuration; see {@link io.torque.core.tls.TlsServerBuilder#build()}.
     *
     * @param certificate the default certificate chain (PEM), or null with a key store
     * @param key its key (PEM)
     * @param keyStore a key store, or null
     * @param keyStorePassword its password
     * @param byHost SNI host name to {certificate, key} PEM files
     * @param clientAuth whether to ask clients for certificates
     * @param clientTrust the CAs client certificates must chain to (PEM), or null
     * @param provider the provider wanted
     * @param protocols protocol versions
     * @param alpn ALPN protocols
     * @param handshakeTimeout the handshake timeout
     * @return the configuration
     */
    public static TlsConfig build(Path certificate, Path key, Path keyStore, char[] keyStorePassword, Map<String, Path[]> byHost,
            ClientAuth clientAuth, Path clientTrust, TlsProvider provider, List<String> protocols, List<String> alpn,
            Duration handshakeTimeout) {
        TlsProvider chosen = Contexts.choose(provider);
        SslContextBuilder b;
        if (keyStore == null && byHost.isEmpty()) {
            X509Certificate[] chain = PemFiles.certificates(certificate, "certificate");
            PrivateKey pk = PemFiles.privateKey(key);
            b = SslContextBuilder.forServer(pk, chain);
        } else {
            b = SslContextBuilder.forServer(new SniKeyManager(keyManager(certificate, key, keyStore, keyStorePassword, byHost),
                    certificate != null ? DEFAULT_ALIAS : null));
        }
        if (clientAuth != ClientAuth.NONE) {
            b.trustManager(PemFiles.certificates(clientTrust, "trusted certificates"));
            b.clientAuth(clientAuth == ClientAuth.REQUIRE ? io.netty.handler.ssl.ClientAuth.REQUIRE
                    : io.netty.handler.ssl.ClientAuth.OPTIONAL);
        }
        return new TlsSettings(Contexts.build(b, chosen, protocols, alpn), chosen, handshakeTimeout, null);
    }

    /** One key manager over every certificate: an in-memory key store of the PEM files, or the file's. */
    private static X509ExtendedKeyManager keyManager(Path certificate, Path key, Path keyStore, char[] password,
            Map<String, Path[]> byHost) {
        char[] pass = password != null ? password : new char[0];
        KeyStore ks;
        if (keyStore != null) {
            PemFiles.readable(keyStore, "key store");
            try {
                ks = KeyStore.getInstance(keyStore.toFile(), pass);
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalArgumentException("cannot read the TLS key store " + keyStore + ": " + e.getMessage(), e);
            }
        } else {
            try {
                ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("no PKCS12 key store in this JDK", e);
            }
        }
        try {
            if (certificate != null) {
                ks.setKeyEntry(DEFAULT_ALIAS, PemFiles.privateKey(key), pass, PemFiles.certificates(certificate, "certificate"));
            }
            for (Map.Entry<String, Path[]> e : byHost.entrySet()) {
                ks.setKeyEntry(e.getKey(), PemFiles.privateKey(e.getValue()[1]), pass,
                        PemFiles.certificates(e.getValue()[0], "certificate"));
            }
            // SunX509 keeps the key store's aliases as they are (the PKIX one prefixes them).
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
            kmf.init(ks, pass);
            for (javax.net.ssl.KeyManager km : kmf.getKeyManagers()) {
                if (km instanceof X509ExtendedKeyManager x) {
                    return x;
                }
            }
            throw new IllegalStateException("the SunX509 key manager factory made no X509ExtendedKeyManager");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the TLS keys: " + e.getMessage(), e);
        }
    }
}
