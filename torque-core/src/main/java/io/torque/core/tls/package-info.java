/**
 * TLS for connections: a {@link io.torque.core.tls.TlsConfig} made by
 * {@link io.torque.core.tls.TlsConfig#server()} or {@link io.torque.core.tls.TlsConfig#client()}
 * goes to a listener ({@link io.torque.core.net.ListenOptions#withTls}) or to a connect
 * ({@link io.torque.core.Torque#connect(java.net.InetSocketAddress,
 * io.torque.core.net.ConnectionHandler, java.time.Duration, TlsConfig)}), and the connection's
 * handler sees plaintext. The engines are Netty's ({@code SslContextBuilder}), on BoringSSL
 * ({@code netty-tcnative-boringssl-static}) where it loads and the JDK's otherwise; torque holds
 * no cryptography or record parsing of its own. docs/tls.md has the whole story.
 */
package io.torque.core.tls;
