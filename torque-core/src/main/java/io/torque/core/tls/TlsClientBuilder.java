package io.torque.core.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import io.torque.core.internal.tls.ClientContexts;

/**
 * Builds a client's {@link TlsConfig}: whom to trust, the host name to ask for (SNI) and to
 * verify the server's certificate against, a certificate for servers that ask, ALPN, protocol
 * versions and the handshake timeout. {@link #build()} reads every file.
 */
public final class TlsClientBuilder {
    private final TlsOptions options = new TlsOptions();
    private Path trust;
    private String serverName;
    private boolean verifyHostName = true;
    private Path certificate;
    private Path key;

    TlsClientBuilder() {
    }

    /**
     * Trusts the certificates (CAs) of a PEM file instead of the JDK's default trust store.
     *
     * @param trustedCertificates a PEM file of certificates
     * @return this builder
     * @throws NullPointerException if the path is null
     */
    public TlsClientBuilder trust(Path trustedCertificates) {
        this.trust = Objects.requireNonNull(trustedCertificates, "trustedCertificates");
        return this;
    }

    /**
     * The host name to send in SNI and to check the server's certificate against. By default the
     * connect address's host name (or, for an address given as a literal, its IP address, which
     * the certificate must then name).
     *
     * @param hostName the server's name
     * @return this builder
     * @throws NullPointerException if the name is null
     */
    public TlsClientBuilder serverName(String hostName) {
        this.serverName = Objects.requireNonNull(hostName, "hostName");
        return this;
    }

    /**
     * Whether to check that the server's certificate names the server (RFC 2818, as HTTPS does);
     * on by default. Turning it off accepts any trusted certificate for any server.
     *
     * @param verify false to skip the check
     * @return this builder
     */
    public TlsClientBuilder verifyHostName(boolean verify) {
        this.verifyHostName = verify;
        return this;
    }

    /**
     * The certificate to present to servers that ask for one.
     *
     * @param certificateChain a PEM file: the client's certificate, then its intermediates
     * @param privateKey a PEM file with its unencrypted private key
     * @return this builder
     * @throws NullPointerException if an argument is null
     */
    public TlsClientBuilder certificate(Path certificateChain, Path privateKey) {
        this.certificate = Objects.requireNonNull(certificateChain, "certificateChain");
        this.key = Objects.requireNonNull(privateKey, "privateKey");
        return this;
    }

    /**
     * The ALPN protocols to offer, preferred first. None by default.
     *
     * @param names protocol names
     * @return this builder
     * @throws IllegalArgumentException if a name is empty or longer than 255
     */
    public TlsClientBuilder applicationProtocols(String... names) {
        options.applicationProtocols(names);
        return this;
    }

    /**
     * The protocol versions to offer: {@code TLSv1.3} and {@code TLSv1.2} by default.
     *
     * @param versions some of {@code TLSv1.2}, {@code TLSv1.3}
     * @return this builder
     * @throws IllegalArgumentException for any other version, or none
     */
    public TlsClientBuilder protocols(String... versions) {
        options.protocols(versions);
        return this;
    }

    /**
     * Which implementation makes the engines; {@link TlsProvider#AUTO} by default.
     *
     * @param provider the provider
     * @return this builder
     */
    public TlsClientBuilder provider(TlsProvider provider) {
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
    public TlsClientBuilder handshakeTimeout(Duration timeout) {
        options.handshakeTimeout(timeout);
        return this;
    }

    /**
     * Reads the files and makes the configuration.
     *
     * @return the configuration
     * @throws IllegalArgumentException if a file is missing, unreadable or not what it should be
     *     (the message names it), or the provider is not available
     */
    public TlsConfig build() {
        return ClientContexts.build(trust, serverName, verifyHostName, certificate, key, options.provider,
                options.protocols, options.applicationProtocols, options.handshakeTimeout);
    }
}
