package io.torque.core.internal.tls;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

import javax.net.ssl.SSLEngine;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.torque.core.tls.TlsConfig;
import io.torque.core.tls.TlsProvider;

/**
 * The {@link TlsConfig} the builders make: a Netty {@link SslContext} and what torque adds.
 * Internal API.
 */
public final class TlsSettings implements TlsConfig {
    private final SslContext context;
    private final TlsProvider provider;
    private final Duration handshakeTimeout;
    /** The client's SNI and verification name; null on servers, or to use the connect address's. */
    private final String serverName;

    TlsSettings(SslContext context, TlsProvider provider, Duration handshakeTimeout, String serverName) {
        this.context = context;
        this.provider = provider;
        this.handshakeTimeout = handshakeTimeout;
        this.serverName = serverName;
    }

    /**
     * The settings behind a user's configuration.
     *
     * @param config a configuration from the builders
     * @return its settings
     * @throws IllegalArgumentException if the configuration was not made by torque's builders
     */
    public static TlsSettings of(TlsConfig config) {
        if (config instanceof TlsSettings s) {
            return s;
        }
        throw new IllegalArgumentException("a TlsConfig must come from TlsConfig.server() or TlsConfig.client(): " + config);
    }

    /**
     * A new engine for one connection.
     *
     * @param peer the peer's address (a client's SNI and verification name default to its host;
     *     a Unix socket's path has none, so the configuration's name is used)
     * @return the engine, in server or client mode as configured
     */
    public SSLEngine newEngine(java.net.SocketAddress peer) {
        if (context.isServer()) {
            return context.newEngine(ByteBufAllocator.DEFAULT);
        }
        if (peer instanceof InetSocketAddress inet) {
            return context.newEngine(ByteBufAllocator.DEFAULT, serverName != null ? serverName : inet.getHostString(), inet.getPort());
        }
        return serverName != null ? context.newEngine(ByteBufAllocator.DEFAULT, serverName, -1) : context.newEngine(ByteBufAllocator.DEFAULT);
    }

    /**
     * The host name a client sends in SNI: the configured one, else the connect address's host
     * when it is a name (a literal address is not sent, as RFC 6066 says).
     *
     * @param peer the connect address
     * @return the name, or null for none
     */
    public String clientServerName(java.net.SocketAddress peer) {
        if (serverName != null || !(peer instanceof InetSocketAddress inet)) {
            return serverName;
        }
        String host = inet.getHostString();
        return host.indexOf(':') >= 0 || host.chars().allMatch(ch -> ch == '.' || Character.isDigit(ch)) ? null : host;
    }

    @Override
    public boolean isServer() {
        return context.isServer();
    }

    @Override
    public TlsProvider provider() {
        return provider;
    }

    @Override
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    @Override
    public String toString() {
        return "TLS " + (isServer() ? "server" : "client") + " (" + provider + ", " + context.applicationProtocolNegotiator().protocols()
                + ", handshake timeout " + handshakeTimeout.toMillis() + " ms)";
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(context);
    }
}
