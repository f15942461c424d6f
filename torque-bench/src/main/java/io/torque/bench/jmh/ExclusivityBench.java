package io.torque.bench.jmh;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.ManualIoEventLoop;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;

/**
 * The per-event price of keeping a source's callback on one thread, the two ways DESIGN.md
 * names: (a) EPOLLONESHOT, re-armed with {@code epoll_ctl(MOD)} after every callback (here
 * through Netty's public {@link IoRegistration#submit}); (b) edge-triggered without ONESHOT plus
 * an atomic ownership state, taken and released with one CAS each, as
 * {@code TcpConnection.work} does on its uncontended path.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ExclusivityBench {
    private static final int EPOLLONESHOT = 1 << 30;

    ManualIoEventLoop loop;
    FileDescriptor[] pipe;
    IoRegistration registration;
    EpollIoOps rearm;
    final AtomicInteger state = new AtomicInteger();

    @Setup
    public void setup() throws Exception {
        loop = new ManualIoEventLoop(Thread.currentThread(), EpollIoHandler.newFactory());
        pipe = FileDescriptor.pipe();
        FileDescriptor fd = pipe[0];
        registration = loop.register(new EpollIoHandle() {
            @Override
            public FileDescriptor fd() {
                return fd;
            }

            @Override
            public void handle(IoRegistration r, IoEvent e) {
            }

            @Override
            public void close() {
            }
        }).sync().getNow();
        rearm = EpollIoOps.valueOf(EpollIoOps.EPOLLIN.value() | EpollIoOps.EPOLLRDHUP.value() | EPOLLONESHOT);
        registration.submit(rearm);
    }

    @TearDown
    public void tearDown() throws Exception {
        registration.cancel();
        loop.shutdownGracefully(0, 0, TimeUnit.NANOSECONDS);
        while (!loop.isTerminated()) {
            loop.runNow();
        }
        pipe[0].close();
        pipe[1].close();
    }

    /** (a): one epoll_ctl(MOD) re-arm, what ONESHOT costs after every callback. */
    @Benchmark
    public long oneshotRearm() {
        return registration.submit(rearm);
    }

    /** (b): acquire and release the ownership state, uncontended. */
    @Benchmark
    public int ownershipCas() {
        state.compareAndSet(0, 1);
        state.compareAndSet(1, 0);
        return state.getPlain();
    }
}
