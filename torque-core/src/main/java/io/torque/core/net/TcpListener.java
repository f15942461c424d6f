package io.torque.core.net;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.FileDescriptor;
import io.torque.core.loop.Loop;

/**
 * A listening socket on its home loop, edge-triggered: each readiness accepts until
 * {@code EAGAIN}, placing each new connection on the loop the context chooses. When accept fails
 * for want of file descriptors (EMFILE, ENFILE) it stops and retries after
 * {@link #RETRY_MILLIS}, instead of spinning on a readiness that cannot be served. Internal API.
 */
public final class TcpListener implements Listener, EpollIoHandle {
    /** Pause before accepting again after EMFILE/ENFILE. */
    public static final long RETRY_MILLIS = 50;

    private final LinuxSocket socket;
    private final Loop loop;
    private final SourceRegistry registry;
    private final Function<Connection, ConnectionHandler> factory;
    /** The settings of every connection this listener accepts. */
    private final ConnectionSettings settings;
    private final InetSocketAddress bound;
    private final byte[] acceptedAddress = new byte[26];
    private IoRegistration registration;
    private volatile boolean closed;
    private boolean retryScheduled;

    private TcpListener(LinuxSocket socket, Loop loop, SourceRegistry registry,
            Function<Connection, ConnectionHandler> factory, ConnectionSettings settings, InetSocketAddress bound) {
        this.socket = socket;
        this.loop = loop;
        this.registry = registry;
        this.factory = factory;
        this.settings = settings;
        this.bound = bound;
    }

    /**
     * Binds, listens and registers on {@code loop}; returns once accepting.
     *
     * @throws BindException (unchecked as {@link java.io.UncheckedIOException}) when the address is
     *     in use or not local
     */
    public static TcpListener open(InetSocketAddress address, ListenOptions options, Loop loop, SourceRegistry registry,
            Function<Connection, ConnectionHandler> factory) throws IOException {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address: " + address.getHostString());
        }
        LinuxSocket socket = LinuxSocket.newSocketStream(address.getAddress() instanceof java.net.Inet6Address);
        try {
            socket.setReuseAddress(true);
            if (options.reusePort()) {
                socket.setReusePort(true);
            }
            try {
                socket.bind(address);
            } catch (IOException e) {
                BindException b = new BindException("cannot bind " + address + ": " + e.getMessage());
                b.initCause(e);
                throw b;
            }
            socket.listen(options.backlog());
            TcpListener l = new TcpListener(socket, loop, registry, factory,
                    options.settings() != null ? options.settings() : registry.settings(), socket.localAddress());
            java.util.concurrent.CompletableFuture<Void> started = new java.util.concurrent.CompletableFuture<>();
            loop.execute(() -> { // inline when called on this loop (from a callback)
                try {
                    if (!registry.opened(l)) {
                        throw new IllegalStateException("the torque context is closed");
                    }
                    l.registration = loop.netty().register(l).getNow();
                    l.registration.submit(EpollIoOps.EPOLLIN.with(EpollIoOps.EPOLLET));
                    started.complete(null);
                    l.acceptAll(); // connections queued before registration made no edge
                } catch (Throwable t) {
                    started.completeExceptionally(t);
                }
            });
            try {
                started.get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IOException(e.getCause());
            } catch (java.util.concurrent.TimeoutException | InterruptedException e) {
                throw new IOException("listener registration did not complete", e);
            }
            return l;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public FileDescriptor fd() {
        return socket;
    }

    @Override
    public void handle(IoRegistration reg, IoEvent event) {
        acceptAll();
    }

    private void acceptAll() {
        while (!closed) {
            int fd;
            try {
                fd = socket.accept(acceptedAddress);
            } catch (Errors.NativeIoException e) {
                int errno = Math.abs(e.expectedErr());
                if (errno == 24 || errno == 23) { // EMFILE, ENFILE: wait for fds to free up
                    scheduleRetry();
                    return;
                }
                loop.errors().onError(this, e);
                scheduleRetry();
                return;
            } catch (IOException e) {
                loop.errors().onError(this, e);
                scheduleRetry();
                return;
            }
            if (fd < 0) {
                return; // EAGAIN: drained
            }
            LinuxSocket accepted = LinuxSocket.newSocket(fd);
            Loop home = registry.placeConnection();
            TcpConnection c = new TcpConnection(accepted, home, registry, settings, null);
            home.execute(() -> c.startAccepted(factory));
        }
    }

    private void scheduleRetry() {
        if (!retryScheduled && !closed) {
            retryScheduled = true;
            loop.netty().schedule(() -> {
                retryScheduled = false;
                acceptAll();
            }, RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return bound;
    }

    @Override
    public void close() {
        if (!loop.inLoop()) {
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
            try {
                loop.netty().execute(() -> {
                    close();
                    done.countDown();
                });
                done.await(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                closeNow(); // the loop is gone
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        closeNow();
    }

    private void closeNow() {
        if (closed) {
            return;
        }
        closed = true;
        if (registration != null) {
            registration.cancel();
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        registry.closed(this);
    }

    @Override
    public String toString() {
        return "listener " + bound;
    }
}
