package io.torque.core.internal.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.netty.handler.ssl.SslContextBuilder;
import io.torque.core.tls.TlsConfig;
import io.torque.core.tls.TlsProvider;

/** Makes clients' configurations from the builder's choices. Internal API. */
public final class ClientContexts {
    private ClientContexts() {
    }

    /**
     * Reads the files and makes the configuration; see {@link io.torque.core.tls.TlsClientBuilder#build()}.
     *
     * @param trust the CAs to trust (PEM), or null for the JDK's default trust store
     * @param serverName the SNI and verification name, or null for the connect address's
     * @param verifyHostName whether to check the certificate names the server
     * @param certificate the client's certificate chain (PEM), or null
     * @param key its key (PEM)
     * @param provider the provider wanted
     * @param protocols protocol versions
     * @param alpn ALPN protocols
     * @param handshakeTimeout the handshake timeout
     * @return the configuration
     */
    public static TlsConfig build(Path trust, String serverName, boolean verifyHostName, Path certificate, Path key,
            TlsProvider provider, List<String> protocols, List<String> alpn, Duration handshakeTimeout) {
        TlsProvider chosen = Contexts.choose(provider);
        SslContextBuilder b = SslContextBuilder.forClient();
        if (trust != null) {
            b.trustManager(PemFiles.certificates(trust, "trusted certificates"));
        }
        if (certificate != null) {
            b.keyManager(PemFiles.privateKey(key), PemFiles.certificates(certificate, "certificate"));
        }
        b.endpointIdentificationAlgorithm(verifyHostName ? "HTTPS" : null);
        return new TlsSettings(Contexts.build(b, chosen, protocols, alpn), chosen, handshakeTimeout, serverName);
    }
}
