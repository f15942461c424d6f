package io.torque.bench.jmh;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.netty.channel.epoll.LinuxSocket;
import io.torque.core.internal.loop.BufferPool;

/**
 * The write path, {@code writes} small replies (64 bytes each, as pipelined requests get) on a
 * loopback TCP socket whose peer a thread drains: one {@code send} per write (torque before the
 * write/flush split) against gathering them into a pooled chunk and one {@code writev} per flush
 * (now). The time is per flush of {@code writes} replies.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WritePathBench {
    private static final int REPLY = 64;

    @Param({"1", "8", "64"})
    int writes;

    LinuxSocket socket;
    Socket peer;
    ServerSocket server;
    Thread drain;
    ByteBuffer reply;
    BufferPool pool;
    ByteBuffer[] iov = new ByteBuffer[1];

    @Setup(Level.Trial)
    public void setup() throws Exception {
        io.netty.channel.epoll.Epoll.ensureAvailability(); // loads Netty's native library
        server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        socket = LinuxSocket.newSocketStream(false);
        socket.connect(new InetSocketAddress("127.0.0.1", server.getLocalPort()));
        socket.setTcpNoDelay(true);
        peer = server.accept();
        drain = new Thread(() -> {
            byte[] b = new byte[1 << 16];
            try (InputStream in = peer.getInputStream()) {
                while (in.read(b) >= 0) {
                    // discard
                }
            } catch (IOException closed) {
                // done
            }
        }, "drain");
        drain.setDaemon(true);
        drain.start();
        reply = ByteBuffer.allocateDirect(REPLY);
        pool = new BufferPool();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        socket.close();
        peer.close();
        server.close();
    }

    /** Before: each write its own send. */
    @Benchmark
    public int sendEach() throws IOException {
        int sent = 0;
        for (int i = 0; i < writes; i++) {
            sent += socket.send(reply, 0, REPLY);
        }
        return sent;
    }

    /** Now: each write a copy into the pooled queue chunk; one writev at the flush. */
    @Benchmark
    public long gatherThenWritev() throws IOException {
        ByteBuffer chunk = gathered();
        iov[0] = chunk;
        long sent = socket.writev(iov, 0, 1, chunk.remaining());
        iov[0] = null;
        pool.give(chunk);
        return sent;
    }

    /** The same with one buffer sent by {@code write} instead of a one-element {@code writev} (fewer JNI lookups). */
    @Benchmark
    public long gatherThenWrite() throws IOException {
        ByteBuffer chunk = gathered();
        long sent = socket.write(chunk, chunk.position(), chunk.limit());
        pool.give(chunk);
        return sent;
    }

    /** Each write a copy into a pooled queue chunk, as the write path gathers them. */
    private ByteBuffer gathered() {
        ByteBuffer chunk = pool.take(16 * 1024);
        chunk.limit(0);
        for (int i = 0; i < writes; i++) {
            int at = chunk.limit();
            chunk.limit(at + REPLY);
            chunk.put(at, reply, 0, REPLY);
        }
        return chunk;
    }
}
