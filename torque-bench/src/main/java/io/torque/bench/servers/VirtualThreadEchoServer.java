package io.torque.bench.servers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;

/**
 * The threads-instead-of-events peer (seed 001's question asked in 2026): blocking sockets, one
 * virtual thread per connection reading a request, working, writing the reply. Virtual threads
 * need JDK 21 or later; the module is compiled for 17, so the executor is made by reflection
 * ({@code Executors.newVirtualThreadPerTaskExecutor}). The carrier threads are as many as the
 * other servers' loops ({@code jdk.virtualThreadScheduler.parallelism}, set before the first
 * virtual thread).
 */
final class VirtualThreadEchoServer implements AutoCloseable {
    private final ServerSocket server;
    private final ExecutorService threads;
    private final Thread acceptor;
    private final int requestBytes;
    private final long workNanos;

    VirtualThreadEchoServer(InetSocketAddress bind, int loops, int requestBytes, long workNanos) throws IOException {
        if (Runtime.version().feature() < 21) {
            throw new IllegalStateException("vthreads needs JDK 21 or later, this is " + Runtime.version());
        }
        System.setProperty("jdk.virtualThreadScheduler.parallelism", Integer.toString(loops));
        this.requestBytes = requestBytes;
        this.workNanos = workNanos;
        try {
            threads = (ExecutorService) java.util.concurrent.Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
                    .invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no virtual threads here", e);
        }
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(bind, 1024);
        acceptor = new Thread(this::accept, "vthreads-acceptor");
        acceptor.start();
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                threads.submit(() -> serve(s));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        byte[] request = new byte[requestBytes];
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            while (in.readNBytes(request, 0, requestBytes) == requestBytes) {
                Work.spin(workNanos);
                out.write(request);
            }
        } catch (IOException peerGone) {
            // the client closed or reset: this connection's thread ends
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        server.close();
        acceptor.join(5000);
        threads.shutdownNow();
    }
}
