package io.torque.examples.netty;

import java.nio.file.Path;

import javax.net.ssl.SSLException;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.torque.core.tls.TlsProvider;

/**
 * The Netty twins' TLS: Netty's {@code SslContext} on the same PEM files, protocol versions and
 * provider as a torque server's, for a like-for-like comparison.
 */
public final class NettyTls {
    private NettyTls() {
    }

    /**
     * A server context.
     *
     * @param certificate the PEM certificate chain
     * @param key its PEM key
     * @param provider the provider torque's configuration chose ({@code TlsConfig.provider()}:
     *     OPENSSL or JDK)
     * @return the context
     * @throws SSLException if Netty cannot make it
     */
    public static SslContext server(Path certificate, Path key, TlsProvider provider) throws SSLException {
        return SslContextBuilder.forServer(certificate.toFile(), key.toFile())
                .sslProvider(provider == TlsProvider.OPENSSL ? SslProvider.OPENSSL : SslProvider.JDK)
                .protocols("TLSv1.3", "TLSv1.2").build();
    }
}
