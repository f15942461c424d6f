package io.torque.core.internal.tls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

import io.netty.handler.ssl.SslContext;

/**
 * Reads PEM certificates and keys with Netty's own reader (the protected helpers of
 * {@link SslContext}, reached by extending it; never instantiated), so torque parses no PEM
 * itself. Every failure names the file.
 */
abstract class PemFiles extends SslContext {
    private PemFiles() {
    }

    static X509Certificate[] certificates(Path file, String what) {
        readable(file, what);
        try {
            X509Certificate[] certs = toX509Certificates(file.toFile());
            if (certs == null || certs.length == 0) {
                throw new IllegalArgumentException("the TLS " + what + " file " + file + " holds no PEM certificate");
            }
            return certs;
        } catch (java.security.cert.CertificateException | RuntimeException e) {
            throw bad(file, what, e);
        }
    }

    static PrivateKey privateKey(Path file) {
        readable(file, "key");
        try {
            PrivateKey key = toPrivateKey(file.toFile(), null);
            if (key == null) {
                throw new IllegalArgumentException("the TLS key file " + file + " holds no PEM private key");
            }
            return key;
        } catch (Exception e) {
            throw bad(file, "key", e);
        }
    }

    static void readable(Path file, String what) {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("the TLS " + what + " file " + file + " does not exist");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("the TLS " + what + " file " + file + " cannot be read");
        }
    }

    private static IllegalArgumentException bad(Path file, String what, Exception e) {
        if (e instanceof IllegalArgumentException iae && iae.getMessage() != null && iae.getMessage().contains(file.toString())) {
            return iae;
        }
        return new IllegalArgumentException("the TLS " + what + " file " + file + " is not valid PEM: " + e.getMessage(), e);
    }
}
