package io.torque.bench.jmh;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
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

import io.torque.core.net.ReadBuffer;

/**
 * What a handler pays to consume what one read brought: lend the loop's receive buffer
 * ({@code inScratch}), scan it through {@link ReadBuffer#get(int)} (a parser's way) or take it
 * whole with {@link ReadBuffer#bytes()} (an echo's way), consume it, and settle. The receive
 * buffer is internal, so it is reached through method handles set up once; per-byte figures
 * are the op's time over {@code bytes}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ReadBufferBench {
    @Param({"64", "4096"})
    int bytes;

    ByteBuffer scratch;
    ReadBuffer rx;
    MethodHandle inScratch;
    MethodHandle settle;
    io.torque.core.internal.loop.BufferPool pool;

    @Setup
    public void setup() throws Throwable {
        Class<?> c = Class.forName("io.torque.core.internal.net.RxBuffer");
        MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(c, MethodHandles.lookup());
        rx = (ReadBuffer) lookup.findConstructor(c, MethodType.methodType(void.class, int.class)).invoke(1 << 20);
        inScratch = lookup.findVirtual(c, "inScratch", MethodType.methodType(void.class, ByteBuffer.class, int.class));
        pool = new io.torque.core.internal.loop.BufferPool();
        settle = lookup.findVirtual(c, "settle", MethodType.methodType(void.class, io.torque.core.internal.loop.BufferPool.class));
        scratch = ByteBuffer.allocateDirect(64 * 1024);
        for (int i = 0; i < scratch.capacity(); i++) {
            scratch.put(i, (byte) i);
        }
    }

    @Benchmark
    public long scanWithGet() throws Throwable {
        inScratch.invoke(rx, scratch, bytes);
        long sum = 0;
        int n = rx.readableBytes();
        for (int i = 0; i < n; i++) {
            sum += rx.get(i);
        }
        rx.consume(n);
        settle.invoke(rx, pool);
        return sum;
    }

    @Benchmark
    public int takeWithBytes() throws Throwable {
        inScratch.invoke(rx, scratch, bytes);
        int n = rx.bytes().remaining();
        rx.consumeAll();
        settle.invoke(rx, pool);
        return n;
    }
}
