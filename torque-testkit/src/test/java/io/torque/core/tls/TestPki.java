package io.torque.core.tls;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Assumptions;

import io.torque.testkit.TestCertificates;

/**
 * The certificates a TLS test class uses: a CA made at test time and a server certificate for
 * {@code localhost} and 127.0.0.1. Without the openssl command the tests skip with a message
 * (.ci/run installs it, so CI always runs them).
 *
 * @param ca the CA
 * @param localhost the server certificate
 */
record TestPki(TestCertificates ca, TestCertificates.Pair localhost) {
    /** A JDK client context that trusts the CA: the raw TLS peer of tests that misbehave on purpose. */
    SSLContext jdkClient() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(ca.ca())) {
            trust.setCertificateEntry("ca", (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** A real ClientHello, made by the JDK's engine. */
    byte[] clientHello() throws Exception {
        SSLEngine e = jdkClient().createSSLEngine("localhost", 443);
        e.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(e.getSession().getPacketBufferSize());
        e.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] b = new byte[out.remaining()];
        out.get(b);
        return b;
    }

    static TestPki create(Path dir) throws Exception {
        Assumptions.assumeTrue(TestCertificates.opensslAvailable(), "the openssl command is not installed: TLS tests skipped");
        TestCertificates certs = TestCertificates.create(dir);
        return new TestPki(certs, certs.issue("localhost", "localhost", "IP:127.0.0.1"));
    }
}
