package io.torque.core.internal.tls;

import java.util.List;

import javax.net.ssl.SSLException;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.torque.core.tls.TlsProvider;

/** What server and client contexts share: the provider's choice, protocols, ALPN, building. */
final class Contexts {
    private Contexts() {
    }

    /** AUTO becomes OPENSSL where BoringSSL loads, else JDK; OPENSSL where it does not load fails. */
    static TlsProvider choose(TlsProvider wanted) {
        return switch (wanted) {
            case AUTO -> OpenSsl.isAvailable() ? TlsProvider.OPENSSL : TlsProvider.JDK;
            case OPENSSL -> {
                if (!OpenSsl.isAvailable()) {
                    throw new IllegalArgumentException("the OPENSSL TLS provider (netty-tcnative-boringssl-static) is not available here: "
                            + OpenSsl.unavailabilityCause(), OpenSsl.unavailabilityCause());
                }
                yield TlsProvider.OPENSSL;
            }
            case JDK -> TlsProvider.JDK;
        };
    }

    static SslContext build(SslContextBuilder b, TlsProvider provider, List<String> protocols, List<String> alpn) {
        // OPENSSL, not OPENSSL_REFCNT: the context lives as long as the configuration and is freed
        // with it; each engine is released explicitly when its connection closes (TlsSide).
        b.sslProvider(provider == TlsProvider.OPENSSL ? SslProvider.OPENSSL : SslProvider.JDK);
        b.protocols(protocols);
        if (!alpn.isEmpty()) {
            b.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn));
        }
        try {
            return b.build();
        } catch (SSLException | RuntimeException e) {
            throw new IllegalArgumentException("cannot make the TLS context (" + provider + "): " + e.getMessage(), e);
        }
    }
}
