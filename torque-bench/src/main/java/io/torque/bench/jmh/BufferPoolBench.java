package io.torque.bench.jmh;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.torque.core.internal.loop.BufferPool;

/**
 * A write queue chunk's life, take it, put a reply in, give it back, three ways: a fresh
 * {@code ByteBuffer.allocateDirect} each time (what torque did before), torque's per-loop
 * {@link BufferPool} (a free list per size class, one thread, no locks), and Netty's
 * {@link PooledByteBufAllocator} (thread-local caches over shared arenas). Single thread, as a
 * loop uses it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-XX:MaxDirectMemorySize=512m")
public class BufferPoolBench {
    @Param({"16384"})
    int size;

    BufferPool pool;
    PooledByteBufAllocator netty;
    ByteBuffer reply;

    @Setup
    public void setup() {
        pool = new BufferPool();
        netty = PooledByteBufAllocator.DEFAULT;
        reply = ByteBuffer.allocateDirect(64);
    }

    @Benchmark
    public int allocateDirect() {
        ByteBuffer b = ByteBuffer.allocateDirect(size);
        b.put(0, reply, 0, 64);
        return b.capacity();
    }

    @Benchmark
    public int torquePool() {
        ByteBuffer b = pool.take(size);
        b.put(0, reply, 0, 64);
        int c = b.capacity();
        pool.give(b);
        return c;
    }

    @Benchmark
    public int nettyPooled() {
        ByteBuf b = netty.directBuffer(size);
        b.setBytes(0, reply.duplicate());
        int c = b.capacity();
        b.release();
        return c;
    }
}
