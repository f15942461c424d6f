package io.torque.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The chaos mix's TLS peers against a TLS echo listener ({@link ChaosServer#listenTls}): healthy
 * clients whose every byte must come back, and the bad ones a TLS port meets (plaintext,
 * garbage, a truncated ClientHello, a handshake left hanging, a FIN without close_notify), each
 * of which must cost only its own connection. The JDK's {@code SSLSocket} is the client; it
 * trusts any certificate, since the mix tests the server, not the PKI.
 */
final class TlsPeers {
    /** Healthy TLS clients per round, and what each sends. */
    static final int HEALTHY = 12;
    static final int HEALTHY_BYTES = 96 << 10;
    /** Bad peers of each kind per round. */
    static final int BAD_EACH = 6;

    private final InetSocketAddress to;
    private final int timeoutMillis;
    private final Consumer<String> count;
    private final SSLContext trustAll;

    TlsPeers(InetSocketAddress to, int timeoutMillis, Consumer<String> count) throws Exception {
        this.to = to;
        this.timeoutMillis = timeoutMillis;
        this.count = count;
        trustAll = SSLContext.getInstance("TLS");
        trustAll.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, new SecureRandom());
    }

    /**
     * One round: the bad peers interleaved with the healthy clients.
     *
     * @param rnd the round's randomness
     * @return bytes verified by the healthy clients (all of theirs, or an exception)
     * @throws Exception a healthy client's failure: lost or wrong bytes, or a stall
     */
    long run(SplittableRandom rnd) throws Exception {
        byte[] hello = clientHello();
        long verified = 0;
        for (int i = 0; i < HEALTHY; i++) {
            switch (i % 6) {
                case 0 -> raw(s -> s.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)),
                        "tls: plaintext");
                case 1 -> {
                    byte[] junk = new byte[1 + rnd.nextInt(3000)];
                    rnd.nextBytes(junk);
                    raw(s -> s.getOutputStream().write(junk), "tls: garbage");
                }
                case 2 -> raw(s -> {
                    s.getOutputStream().write(Arrays.copyOf(hello, 1 + rnd.nextInt(hello.length - 1)));
                    s.shutdownOutput();
                }, "tls: truncated hello");
                case 3 -> raw(s -> s.getOutputStream().write(Arrays.copyOf(hello, 5)), "tls: hanging handshake");
                case 4 -> raw(s -> {
                    SSLSocket tls = (SSLSocket) trustAll.getSocketFactory().createSocket(s, "localhost", to.getPort(), false);
                    tls.startHandshake();
                    tls.getOutputStream().write(7);
                    tls.getInputStream().read();
                    s.shutdownOutput(); // FIN, no close_notify
                }, "tls: no close_notify");
                default -> { }
            }
            verified += healthy(rnd.nextLong());
        }
        return verified;
    }

    private interface RawBody {
        void act(Socket s) throws Exception;
    }

    /** A bad peer: does its thing, then waits for the server to close (a hanging one: the handshake timeout). */
    private void raw(RawBody body, String kind) throws Exception {
        for (int i = 0; i < BAD_EACH / 2; i++) {
            try (Socket s = new Socket(to.getAddress(), to.getPort())) {
                s.setSoTimeout(timeoutMillis);
                body.act(s);
                InputStream in = s.getInputStream();
                while (in.read() >= 0) {
                    // the alert, if any, then the server's close
                }
            } catch (java.net.SocketException reset) {
                // the server's close may come as a reset: fine
            }
            count.accept(kind);
        }
    }

    /** A healthy client: sends a seeded stream in chunks, reads each back, closes with close_notify. */
    private long healthy(long seed) throws IOException {
        try (SSLSocket s = (SSLSocket) trustAll.getSocketFactory().createSocket(to.getAddress(), to.getPort())) {
            s.setSoTimeout(timeoutMillis);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            byte[] chunk = new byte[8192];
            byte[] back = new byte[8192];
            long off = 0;
            while (off < HEALTHY_BYTES) {
                int n = (int) Math.min(chunk.length, HEALTHY_BYTES - off);
                for (int i = 0; i < n; i++) {
                    chunk[i] = EchoClients.streamByte(seed, off + i);
                }
                out.write(chunk, 0, n);
                out.flush();
                int got = 0;
                while (got < n) {
                    int r = in.read(back, got, n - got);
                    if (r < 0) {
                        throw new IOException("tls healthy: closed after " + (off + got) + " of " + HEALTHY_BYTES + " bytes");
                    }
                    got += r;
                }
                if (!Arrays.equals(chunk, 0, n, back, 0, n)) {
                    throw new IOException("tls healthy: wrong bytes in " + off + ".." + (off + n));
                }
                off += n;
            }
            count.accept("tls: healthy");
            return off;
        }
    }

    /** A real ClientHello from the JDK's engine. */
    private byte[] clientHello() throws IOException {
        SSLEngine e = trustAll.createSSLEngine("localhost", to.getPort());
        e.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(e.getSession().getPacketBufferSize());
        e.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] b = new byte[out.remaining()];
        out.get(b);
        return b;
    }
}
