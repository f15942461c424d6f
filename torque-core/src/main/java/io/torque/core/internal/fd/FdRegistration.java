package io.torque.core.internal.fd;

import io.torque.core.fd.FdHandler;
import io.torque.core.fd.FdSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;

import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.torque.core.internal.loop.Loop;

/** A raw fd on its loop, edge-triggered. Internal API. */
public final class FdRegistration implements FdSource, EpollIoHandle {
    /** epoll's hang-up bit, which EpollIoOps does not name: always reported, never asked for. */
    private static final int EPOLLHUP = 0x010;
    private final FileDescriptor fd;
    private final Loop loop;
    private final FdHandler handler;
    private final java.util.function.Consumer<FdRegistration> onClosed;
    private final boolean watchRead;
    private IoRegistration registration;
    private final java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean(true);

    private final EpollIoOps interest;

    private FdRegistration(FileDescriptor fd, Loop loop, FdHandler handler, java.util.function.Consumer<FdRegistration> onClosed,
            boolean watchRead, EpollIoOps interest) {
        this.interest = interest;
        this.fd = fd;
        this.watchRead = watchRead;
        this.loop = loop;
        this.handler = handler;
        this.onClosed = onClosed;
    }

    /**
     * A source for {@code fd} on {@code loop}, not registered yet: the caller records it first,
     * so that one whose callback closes it at once is forgotten after it was recorded.
     *
     * @param onClosed runs once when the source closes, with the source
     */
    public static FdRegistration create(int fd, boolean read, boolean write, Loop loop, FdHandler handler,
            java.util.function.Consumer<FdRegistration> onClosed) {
        EpollIoOps ops = EpollIoOps.EPOLLET;
        if (read) {
            ops = ops.with(EpollIoOps.EPOLLIN).with(EpollIoOps.EPOLLRDHUP);
        }
        if (write) {
            ops = ops.with(EpollIoOps.EPOLLOUT);
        }
        return new FdRegistration(new FileDescriptor(fd), loop, handler, onClosed, read, ops);
    }

    /**
     * Registers with the loop's epoll; completes when epoll has it. Fails with
     * IllegalArgumentException when epoll refuses the fd, saying why. Once.
     */
    public CompletableFuture<FdSource> start() {
        CompletableFuture<FdSource> done = new CompletableFuture<>();
        int number = fd.intValue();
        loop.execute(() -> {
            try {
                registration = loop.netty().register(this).getNow();
                registration.submit(interest);
                done.complete(this);
            } catch (UncheckedIOException e) {
                open.set(false);
                Loop.cancelQuietly(registration);
                done.completeExceptionally(explain(number, e.getCause()));
            } catch (Throwable t) {
                open.set(false);
                Loop.cancelQuietly(registration);
                done.completeExceptionally(t);
            }
        });
        return done;
    }

    private static IllegalArgumentException explain(int fd, IOException e) {
        String msg = String.valueOf(e.getMessage());
        if (msg.contains("Operation not permitted") || msg.contains("EPERM")) {
            return new IllegalArgumentException("fd " + fd + " is not pollable: epoll_ctl says EPERM "
                    + "(a regular file or a directory cannot be watched for readiness)", e);
        }
        if (msg.contains("Bad file descriptor") || msg.contains("EBADF")) {
            return new IllegalArgumentException("fd " + fd + " is not open (epoll_ctl says EBADF)", e);
        }
        if (msg.contains("File exists") || msg.contains("EEXIST")) {
            return new IllegalArgumentException("fd " + fd + " is already registered (epoll_ctl says EEXIST)", e);
        }
        return new IllegalArgumentException("epoll refused fd " + fd + ": " + msg, e);
    }

    @Override
    public FileDescriptor fd() {
        return fd;
    }

    /**
     * Readiness, hang-up or error. {@code EPOLLHUP} and {@code EPOLLERR} go to the handler as
     * readiness (a pipe whose writer closed reports HUP alone, and EOF would otherwise never be
     * seen). Never throws: Netty would drop the rest of its batch.
     */
    @Override
    public void handle(IoRegistration reg, IoEvent event) {
        try {
            int ops = ((EpollIoEvent) event).ops().value();
            boolean hangUpOrError = (ops & (EPOLLHUP | EpollIoOps.EPOLLERR.value())) != 0;
            boolean readable = (ops & (EpollIoOps.EPOLLIN.value() | EpollIoOps.EPOLLRDHUP.value())) != 0;
            boolean writable = (ops & EpollIoOps.EPOLLOUT.value()) != 0;
            if (hangUpOrError) {
                readable |= watchRead;
                writable |= !watchRead;
            }
            if (readable) {
                handler.onReadable(this);
            }
            if (open.get() && writable) {
                handler.onWritable(this);
            }
        } catch (Throwable t) {
            loop.report(this, t);
            closeInLoop(t);
        }
    }

    @Override
    public int descriptor() {
        return fd.intValue();
    }

    @Override
    public boolean isOpen() {
        return open.get();
    }

    /** Closes on the loop (waiting unless the caller is a loop); inline once the loop has ended. */
    @Override
    public void close() {
        loop.call(() -> closeInLoop(null));
    }

    private void closeInLoop(Throwable cause) {
        if (!open.compareAndSet(true, false)) {
            return; // once, whoever comes first
        }
        Loop.cancelQuietly(registration);
        try {
            fd.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        onClosed.accept(this);
        try {
            handler.onClose(this, cause);
        } catch (Throwable t) {
            loop.report(this, t);
        }
    }

    @Override
    public String toString() {
        return "fd " + fd.intValue() + " on " + loop;
    }
}
