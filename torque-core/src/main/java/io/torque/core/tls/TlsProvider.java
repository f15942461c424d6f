package io.torque.core.tls;

/** Which TLS implementation makes a {@link TlsConfig}'s engines. */
public enum TlsProvider {
    /** BoringSSL where Netty's tcnative loads on this platform, else the JDK's. */
    AUTO,
    /** BoringSSL through {@code netty-tcnative-boringssl-static}; fails where it does not load. */
    OPENSSL,
    /** The JDK's {@code SSLEngine}. */
    JDK
}
