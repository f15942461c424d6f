package io.torque.core.tls;

import java.security.cert.Certificate;
import java.util.List;
import java.util.Objects;

/**
 * What a connection's TLS handshake settled ({@link io.torque.core.net.Connection#tls()}).
 *
 * @param protocol the protocol version, {@code TLSv1.2} or {@code TLSv1.3}
 * @param cipherSuite the cipher suite's standard name
 * @param applicationProtocol the protocol ALPN chose ({@code h2}, {@code http/1.1}), or null
 *     when neither side offered ALPN or they agreed on none
 * @param serverName the host name of SNI: on a server, the one the client asked for; on a
 *     client, the one it sent; null when none
 * @param peerCertificates the peer's certificate chain, its own certificate first; empty when
 *     the peer sent none (a client of a server that does not ask)
 */
public record TlsInfo(String protocol, String cipherSuite, String applicationProtocol, String serverName,
        List<Certificate> peerCertificates) {
    /**
     * Checks and copies.
     *
     * @param protocol see {@link #protocol()}
     * @param cipherSuite see {@link #cipherSuite()}
     * @param applicationProtocol see {@link #applicationProtocol()}
     * @param serverName see {@link #serverName()}
     * @param peerCertificates see {@link #peerCertificates()}
     * @throws NullPointerException if protocol, cipher suite or the certificate list is null
     */
    public TlsInfo {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(cipherSuite, "cipherSuite");
        peerCertificates = List.copyOf(peerCertificates);
    }
}
