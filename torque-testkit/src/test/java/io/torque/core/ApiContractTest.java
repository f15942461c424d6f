package io.torque.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.torque.core.net.Connection;
import io.torque.core.net.ConnectionHandler;
import io.torque.core.net.ConnectionSettings;
import io.torque.core.net.ListenOptions;
import io.torque.core.net.Listener;
import io.torque.core.net.Next;
import io.torque.core.net.ReadBuffer;
import io.torque.testkit.Echo;
import io.torque.topology.CpuSet;

/**
 * Every public entry point of torque-core against bad input: each call must fail at once with the
 * documented exception and a message that names the problem, and leave the context working.
 */
class ApiContractTest {
    private Torque torque;
    private final InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
    private final InetSocketAddress unresolved = InetSocketAddress.createUnresolved("no.such.host.invalid", 80);

    @BeforeEach
    void start() {
        torque = Torque.builder().loopCount(2).build();
    }

    @AfterEach
    void stop() {
        torque.close();
    }

    /** One bad call and what it must throw. */
    private record Case(String call, ThrowingCallable body, Class<? extends Throwable> type, String message) {
    }

    private static Case npe(String call, ThrowingCallable body, String name) {
        return new Case(call, body, NullPointerException.class, name);
    }

    private static Case iae(String call, ThrowingCallable body, String message) {
        return new Case(call, body, IllegalArgumentException.class, message);
    }

    private static void check(List<Case> cases) {
        List<String> wrong = new ArrayList<>();
        for (Case c : cases) {
            try {
                c.body().call();
                wrong.add(c.call() + ": no exception");
            } catch (Throwable t) {
                if (!c.type().isInstance(t) || t.getMessage() == null || !t.getMessage().contains(c.message())) {
                    wrong.add(c.call() + ": " + t + " (wanted " + c.type().getSimpleName() + " mentioning \"" + c.message() + "\")");
                }
            }
        }
        assertThat(wrong).as("calls that did not fail as documented").isEmpty();
    }

    @Test
    void theBuilderRejectsBadInput() {
        check(List.of(
                npe("topology(null)", () -> Torque.builder().topology(null), "topology"),
                npe("cpus(null)", () -> Torque.builder().cpus(null), "cpus"),
                iae("cpus(empty)", () -> Torque.builder().cpus(CpuSet.EMPTY), "empty"),
                iae("loopCount(0)", () -> Torque.builder().loopCount(0), "at least 1"),
                iae("loopCount(-3)", () -> Torque.builder().loopCount(-3), "at least 1"),
                npe("errorHandler(null)", () -> Torque.builder().errorHandler(null), "errors"),
                npe("connectionSettings(null)", () -> Torque.builder().connectionSettings(null), "settings"),
                npe("spin(null)", () -> Torque.builder().spin(null), "spin"),
                iae("spin(-1 ms)", () -> Torque.builder().spin(Duration.ofMillis(-1)), "spin"),
                npe("dispatch(null)", () -> Torque.builder().dispatch(null), "policy"),
                npe("placement(null)", () -> Torque.builder().placement(null), "placement"),
                iae("cpus not usable", () -> Torque.builder().cpus(CpuSet.of(4095)).build(), "not usable"),
                iae("loopCount above the CPUs", () -> Torque.builder().cpus(CpuSet.of(0)).loopCount(2).build(), "exceeds")));
    }

    @Test
    void settingsAndOptionsRejectBadInput() {
        check(List.of(
                iae("readBufferMax 100", () -> new ConnectionSettings(100, 1 << 20, 1 << 10), "readBufferMax"),
                iae("low above high", () -> new ConnectionSettings(1 << 20, 10, 20), "lowWaterMark"),
                iae("low negative", () -> new ConnectionSettings(1 << 20, 10, -1), "lowWaterMark"),
                npe("idleTimeout null", () -> new ConnectionSettings(1 << 20, 10, 1, null, Duration.ZERO), "idleTimeout"),
                iae("idleTimeout negative", () -> ConnectionSettings.DEFAULT.withIdleTimeout(Duration.ofSeconds(-1)), "idleTimeout"),
                npe("lingerTimeout null", () -> ConnectionSettings.DEFAULT.withLingerTimeout(null), "lingerTimeout"),
                iae("lingerTimeout negative", () -> ConnectionSettings.DEFAULT.withLingerTimeout(Duration.ofSeconds(-1)), "lingerTimeout"),
                iae("budgets: reads 0", () -> new LoopBudgets(0, 1, 1, 1, Duration.ofMillis(1)), "readsPerTurn"),
                iae("budgets: quantum 0", () -> new LoopBudgets(1, 1, 1, 1, Duration.ZERO), "taskQuantum"),
                npe("budgets(null)", () -> Torque.builder().budgets(null), "budgets"),
                iae("drainTimeout negative", () -> Torque.builder().drainTimeout(Duration.ofSeconds(-1)), "drainTimeout"),
                iae("backlog 0", () -> new ListenOptions(0, false), "backlog"),
                npe("withSettings(null)", () -> ListenOptions.DEFAULT.withSettings(null), "settings")));
    }

    @Test
    void contextMethodsRejectBadInputAndStayUsable() throws Exception {
        Listener taken = torque.listen(any, c -> new Echo());
        java.io.File file = java.io.File.createTempFile("torque", ".txt");
        file.deleteOnExit();
        check(List.of(
                npe("listen(null, f)", () -> torque.listen(null, c -> new Echo()), "address"),
                npe("listen(a, null)", () -> torque.listen(any, null), "handlers"),
                npe("listen(a, null options, f)", () -> torque.listen(any, null, c -> new Echo()), "options"),
                iae("listen(unresolved)", () -> torque.listen(unresolved, c -> new Echo()), "unresolved"),
                new Case("listen(port in use)", () -> torque.listen(taken.localAddress(), c -> new Echo()),
                        UncheckedIOException.class, "cannot bind"),
                npe("connect(null, h, t)", () -> torque.connect((InetSocketAddress) null, new Echo(), Duration.ZERO), "address"),
                npe("connect(null unix, h, t)", () -> torque.connect((java.net.UnixDomainSocketAddress) null, new Echo(), Duration.ZERO),
                        "address"),
                npe("listen(null unix, o, f)", () -> torque.listen((java.net.UnixDomainSocketAddress) null, ListenOptions.DEFAULT,
                        c -> new Echo()), "address"),
                npe("connect(a, null, t)", () -> torque.connect(taken.localAddress(), null, Duration.ZERO), "handler"),
                npe("connect(a, h, null)", () -> torque.connect(taken.localAddress(), new Echo(), null), "timeout"),
                iae("connect(a, h, -1 s)", () -> torque.connect(taken.localAddress(), new Echo(), Duration.ofSeconds(-1)), "timeout"),
                iae("connect(unresolved)", () -> torque.connect(unresolved, new Echo(), Duration.ZERO), "unresolved"),
                npe("timer(null, ...)", () -> torque.timer(null, null, t -> { }), "delay"),
                iae("timer(-1 ms, ...)", () -> torque.timer(Duration.ofMillis(-1), null, t -> { }), "delay"),
                iae("timer(d, -1 ms, ...)", () -> torque.timer(Duration.ZERO, Duration.ofMillis(-1), t -> { }), "period"),
                npe("timer(d, p, null)", () -> torque.timer(Duration.ZERO, null, null), "callback"),
                npe("signal(null, cb)", () -> torque.signal(null, s -> { }), "name"),
                npe("signal(USR2, null)", () -> torque.signal("USR2", null), "callback"),
                iae("signal(NOPE)", () -> torque.signal("NOPE", s -> { }), "NOPE"),
                iae("signal(KILL)", () -> torque.signal("KILL", s -> { }), "KILL"),
                iae("signal(SEGV)", () -> torque.signal("SEGV", s -> { }), "SEGV"),
                iae("register(-1)", () -> torque.register(-1, true, false, new io.torque.core.fd.FdHandler() { }), "negative"),
                iae("register(neither)", () -> torque.register(0, false, false, new io.torque.core.fd.FdHandler() { }), "readable"),
                npe("register(fd, null)", () -> torque.register(0, true, false, null), "handler"),
                iae("register(closed fd)", () -> torque.register(999_999, true, false, new io.torque.core.fd.FdHandler() { }), "999999"),
                npe("awaitTermination(null)", () -> torque.awaitTermination(null), "timeout"),
                iae("awaitTermination(-1 s)", () -> torque.awaitTermination(Duration.ofSeconds(-1)), "timeout")));
        // Still serving after all that.
        try (Socket s = new Socket("127.0.0.1", taken.localAddress().getPort())) {
            s.getOutputStream().write(7);
            assertThat(s.getInputStream().read()).isEqualTo(7);
        }
    }

    @Test
    void aClosedContextRefusesEveryRegistration() {
        torque.close();
        check(List.of(
                new Case("listen", () -> torque.listen(any, c -> new Echo()), IllegalStateException.class, "closed"),
                new Case("connect", () -> torque.connect(new InetSocketAddress("127.0.0.1", 9), new Echo(), Duration.ZERO),
                        IllegalStateException.class, "closed"),
                new Case("timer", () -> torque.timer(Duration.ZERO, null, t -> { }), IllegalStateException.class, "closed"),
                new Case("signal", () -> torque.signal("USR2", s -> { }), IllegalStateException.class, "closed"),
                new Case("register", () -> torque.register(0, true, false, new io.torque.core.fd.FdHandler() { }), IllegalStateException.class,
                        "closed")));
    }

    /**
     * Connection and ReadBuffer: null writes, out-of-range reads, a ReadBuffer kept past its
     * callback, and awaitTermination from a callback (the loop would wait for itself).
     */
    @Test
    void connectionAndReadBufferRejectBadInputInsideCallbacks() throws Exception {
        List<String> wrong = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicReference<ReadBuffer> kept = new AtomicReference<>();
        AtomicReference<Connection> conn = new AtomicReference<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        Listener l = torque.listen(any, c -> new ConnectionHandler() {
            @Override
            public Next onRead(Connection c, ReadBuffer in) {
                conn.set(c);
                kept.set(in);
                List<Case> cases = List.of(
                        npe("write((ByteBuffer) null)", () -> c.write((ByteBuffer) null), "src"),
                        new Case("write((byte[]) null)", () -> c.write((byte[]) null), NullPointerException.class, ""),
                        new Case("get(-1)", () -> in.get(-1), IndexOutOfBoundsException.class, "-1"),
                        new Case("get(readable)", () -> in.get(in.readableBytes()), IndexOutOfBoundsException.class, "readable"),
                        iae("consume(-1)", () -> in.consume(-1), "-1"),
                        iae("consume(readable + 1)", () -> in.consume(in.readableBytes() + 1), "cannot consume"),
                        new Case("copyTo past the end", () -> in.copyTo(0, new byte[99], 0, 99), IndexOutOfBoundsException.class,
                                "bytes"),
                        new Case("awaitTermination() in a callback", () -> torque.awaitTermination(), IllegalStateException.class,
                                "would wait for that loop itself"),
                        new Case("awaitTermination(d) in a callback", () -> torque.awaitTermination(Duration.ofMillis(1)),
                                IllegalStateException.class, "would wait for that loop itself"));
                try {
                    check(cases);
                } catch (AssertionError e) {
                    wrong.add(e.getMessage());
                }
                c.write(in.bytes());
                in.consumeAll();
                return Next.CONTINUE;
            }

            @Override
            public void onClose(Connection c, Throwable cause) {
                done.complete(null); // after onRead returned: the buffer it got is no longer lent
            }
        });
        try (Socket s = new Socket("127.0.0.1", l.localAddress().getPort())) {
            s.getOutputStream().write(new byte[] {1, 2, 3});
            assertThat(s.getInputStream().readNBytes(3)).containsExactly(1, 2, 3);
        }
        done.get(10, TimeUnit.SECONDS);
        assertThat(wrong).isEmpty();
        assertThatThrownBy(() -> kept.get().readableBytes()).as("a ReadBuffer used after its callback")
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("only during the onRead call");
        assertThatThrownBy(() -> conn.get().write((ByteBuffer) null)).as("write(null) from another thread")
                .isInstanceOf(NullPointerException.class).hasMessageContaining("src");
    }
}
