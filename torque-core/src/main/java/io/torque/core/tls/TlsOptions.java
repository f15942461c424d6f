package io.torque.core.tls;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the server and client builders share: provider, protocol versions, ALPN and the
 * handshake timeout, with their checks. Not API; the builders expose it.
 */
final class TlsOptions {
    private static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

    TlsProvider provider = TlsProvider.AUTO;
    List<String> protocols = List.of("TLSv1.3", "TLSv1.2");
    List<String> applicationProtocols = List.of();
    Duration handshakeTimeout = TlsConfig.DEFAULT_HANDSHAKE_TIMEOUT;

    void provider(TlsProvider p) {
        provider = Objects.requireNonNull(p, "provider");
    }

    void protocols(String... versions) {
        if (versions.length == 0) {
            throw new IllegalArgumentException("at least one protocol version is needed (TLSv1.2, TLSv1.3)");
        }
        for (String v : versions) {
            if (!PROTOCOLS.contains(Objects.requireNonNull(v, "protocol"))) {
                throw new IllegalArgumentException("unsupported TLS protocol version " + v + ": only TLSv1.2 and TLSv1.3");
            }
        }
        protocols = List.of(versions);
    }

    void applicationProtocols(String... names) {
        for (String n : names) {
            if (Objects.requireNonNull(n, "application protocol").isEmpty() || n.length() > 255) {
                throw new IllegalArgumentException("an ALPN protocol name has 1 to 255 bytes: '" + n + "'");
            }
        }
        applicationProtocols = List.of(names);
    }

    void handshakeTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the handshake timeout must be positive: " + timeout);
        }
        handshakeTimeout = timeout;
    }
}
