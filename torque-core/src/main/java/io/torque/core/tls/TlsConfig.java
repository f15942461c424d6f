package io.torque.core.tls;

import java.time.Duration;

/**
 * A TLS configuration for a listener ({@link io.torque.core.net.ListenOptions#withTls}) or an
 * outbound connect: the engine factory (Netty's {@code SslContext}: key material, trust,
 * protocols, ALPN), the handshake timeout, and which side it is for. Immutable and shared by every
 * connection that uses it; made by {@link #server()} or {@link #client()}, which read and check
 * every file when they build, so a missing or unreadable one fails there, naming the file.
 */
public interface TlsConfig {
    /** The handshake timeout unless one is set: 10 seconds. */
    Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    /**
     * A builder for a server's configuration (a listener's).
     *
     * @return a new builder
     */
    static TlsServerBuilder server() {
        return new TlsServerBuilder();
    }

    /**
     * A builder for a client's configuration (an outbound connect's).
     *
     * @return a new builder
     */
    static TlsClientBuilder client() {
        return new TlsClientBuilder();
    }

    /**
     * Whether this is a server's configuration.
     *
     * @return true for a server's, false for a client's
     */
    boolean isServer();

    /**
     * The implementation whose engines this configuration makes: {@link TlsProvider#OPENSSL} or
     * {@link TlsProvider#JDK}, never {@link TlsProvider#AUTO}.
     *
     * @return the provider chosen when it was built
     */
    TlsProvider provider();

    /**
     * How long a connection may take to finish its handshake, from the moment its TCP
     * connection opened; past it the connection closes with an
     * {@link javax.net.ssl.SSLHandshakeException}.
     *
     * @return the timeout
     */
    Duration handshakeTimeout();
}
