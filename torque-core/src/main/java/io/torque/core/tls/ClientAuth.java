package io.torque.core.tls;

/** Whether a TLS server asks its clients for a certificate. */
public enum ClientAuth {
    /** The server does not ask. */
    NONE,
    /** The server asks; a client without a certificate is served, one with an untrusted certificate is refused. */
    OPTIONAL,
    /** The server asks, and refuses a client without a trusted certificate. */
    REQUIRE
}
