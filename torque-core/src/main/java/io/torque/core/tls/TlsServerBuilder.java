package io.torque.core.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.torque.core.internal.tls.ServerContexts;

/**
 * Builds a server's {@link TlsConfig}: a certificate with its key (PEM files, or a key store),
 * more certificates chosen by the host name the client asks for (SNI), client authentication,
 * ALPN, protocol versions and the handshake timeout. {@link #build()} reads every file.
 */
public final class TlsServerBuilder {
    private final TlsOptions options = new TlsOptions();
    private Path certificate;
    private Path key;
    private Path keyStore;
    private char[] keyStorePassword;
    private final Map<String, Path[]> byHost = new LinkedHashMap<>();
    private ClientAuth clientAuth = ClientAuth.NONE;
    private Path clientTrust;

    TlsServerBuilder() {
    }

    /**
     * The certificate served when the client asks for no host name, or for one no
     * {@link #sniCertificate} names.
     *
     * @param certificateChain a PEM file: the server's certificate, then its intermediates
     * @param privateKey a PEM file with the certificate's unencrypted private key (PKCS#8, or
     *     PKCS#1/SEC1 as OpenSSL writes them)
     * @return this builder
     * @throws NullPointerException if an argument is null
     */
    public TlsServerBuilder certificate(Path certificateChain, Path privateKey) {
        this.certificate = Objects.requireNonNull(certificateChain, "certificateChain");
        this.key = Objects.requireNonNull(privateKey, "privateKey");
        return this;
    }

    /**
     * The certificates of a key store (PKCS#12 or JKS) instead of PEM files: an entry whose alias
     * is a host name (or a {@code *.domain} wildcard) is served to clients that ask for that
     * name; a client that asks for no name, or another one, gets the {@link #certificate} when
     * one is given, else the first entry whose key suits the handshake (the JDK's SunX509 key
     * manager's choice), which may be a host's.
     *
     * @param file the key store
     * @param password its password (also the keys')
     * @return this builder
     * @throws NullPointerException if an argument is null
     */
    public TlsServerBuilder keyStore(Path file, char[] password) {
        this.keyStore = Objects.requireNonNull(file, "file");
        this.keyStorePassword = Objects.requireNonNull(password, "password").clone();
        return this;
    }

    /**
     * Serves another certificate to clients whose SNI host name is {@code hostName}.
     *
     * @param hostName a host name ({@code api.example.com}) or a wildcard ({@code *.example.com}),
     *     matched without regard to case
     * @param certificateChain a PEM file, as for {@link #certificate}
     * @param privateKey a PEM file, as for {@link #certificate}
     * @return this builder
     * @throws IllegalArgumentException if the host name is empty
     * @throws NullPointerException if an argument is null
     */
    public TlsServerBuilder sniCertificate(String hostName, Path certificateChain, Path privateKey) {
        if (Objects.requireNonNull(hostName, "hostName").isEmpty()) {
            throw new IllegalArgumentException("empty SNI host name");
        }
        byHost.put(hostName.toLowerCase(java.util.Locale.ROOT),
                new Path[] {Objects.requireNonNull(certificateChain, "certificateChain"), Objects.requireNonNull(privateKey, "privateKey")});
        return this;
    }

    /**
     * Asks clients for certificates.
     *
     * @param auth whether to ask, and whether one is required
     * @param trustedCertificates a PEM file of the certificates (CAs) that client certificates
     *     must chain to; null only with {@link ClientAuth#NONE}
     * @return this builder
     * @throws IllegalArgumentException if the trust file is missing while certificates are asked for
     * @throws NullPointerException if auth is null
     */
    public TlsServerBuilder clientAuth(ClientAuth auth, Path trustedCertificates) {
        Objects.requireNonNull(auth, "auth");
        if (auth != ClientAuth.NONE && trustedCertificates == null) {
            throw new IllegalArgumentException("client authentication " + auth + " needs the certificates to trust");
        }
        this.clientAuth = auth;
        this.clientTrust = trustedCertificates;
        return this;
    }

    /**
     * The ALPN protocols this server speaks, preferred first ({@code "h2", "http/1.1"}); the
     * server picks the first of its own that the client offers, and a client offering none of
     * them is served without ALPN. None by default.
     *
     * @param names protocol names
     * @return this builder
     * @throws IllegalArgumentException if a name is empty or longer than 255
     */
    public TlsServerBuilder applicationProtocols(String... names) {
        options.applicationProtocols(names);
        return this;
    }

    /**
     * The protocol versions to accept: {@code TLSv1.3} and {@code TLSv1.2} by default.
     *
     * @param versions some of {@code TLSv1.2}, {@code TLSv1.3}
     * @return this builder
     * @throws IllegalArgumentException for any other version, or none
     */
    public TlsServerBuilder protocols(String... versions) {
        options.protocols(versions);
        return this;
    }

    /**
     * Which implementation makes the engines; {@link TlsProvider#AUTO} by default.
     *
     * @param provider the provider
     * @return this builder
     */
    public TlsServerBuilder provider(TlsProvider provider) {
        options.provider(provider);
        return this;
    }

    /**
     * The handshake timeout; {@link TlsConfig#DEFAULT_HANDSHAKE_TIMEOUT} by default.
     *
     * @param timeout positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public TlsServerBuilder handshakeTimeout(Duration timeout) {
        options.handshakeTimeout(timeout);
        return this;
    }

    /**
     * Reads the files and makes the configuration.
     *
     * @return the configuration
     * @throws IllegalArgumentException if no certificate was given, a file is missing, unreadable
     *     or not what it should be (the message names it), or the provider is not available
     */
    public TlsConfig build() {
        if (certificate == null && keyStore == null) {
            throw new IllegalArgumentException("a TLS server needs a certificate and key (certificate(...) or keyStore(...))");
        }
        return ServerContexts.build(certificate, key, keyStore, keyStorePassword, byHost, clientAuth, clientTrust,
                options.provider, options.protocols, options.applicationProtocols, options.handshakeTimeout);
    }
}
