/**
 * TLS internals: the configurations the public builders make ({@link
 * io.torque.core.internal.tls.TlsSettings}), key material from PEM files and key stores, the
 * SNI key manager, and {@link io.torque.core.internal.tls.TlsSession}, which drives one
 * connection's {@code SSLEngine} on its owner's thread. Internal API.
 */
package io.torque.core.internal.tls;
