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
    private final Runnable onClosed;
    private final boolean watchRead;
    private IoRegistration registration;
    private volatile boolean open = true;

    private FdRegistration(FileDescriptor fd, Loop loop, FdHandler handler, Runnable onClosed, boolean watchRead) {
        this.fd = fd;
        this.watchRead = watchRead;
        this.loop = loop;
        this.handler = handler;
        this.onClosed = onClosed;
    }

    /**
     * Registers {@code fd} on {@code loop} for the given readiness; completes when epoll has it.
     * Fails with IllegalArgumentException when epoll refuses the fd, saying why.
     */
    public static CompletableFuture<FdSource> register(int fd, boolean read, boolean write, Loop loop, FdHandler handler,
            Runnable onClosed) {
        CompletableFuture<FdSource> done = new CompletableFuture<>();
        FdRegistration r = new FdRegistration(new FileDescriptor(fd), loop, handler, onClosed, read);
        EpollIoOps ops = EpollIoOps.EPOLLET;
        if (read) {
            ops = ops.with(EpollIoOps.EPOLLIN).with(EpollIoOps.EPOLLRDHUP);
        }
        if (write) {
            ops = ops.with(EpollIoOps.EPOLLOUT);
        }
        EpollIoOps interest = ops;
        loop.execute(() -> {
            try {
                r.registration = loop.netty().register(r).getNow();
                r.registration.submit(interest);
                done.complete(r);
            } catch (UncheckedIOException e) {
                r.open = false;
                if (r.registration != null) {
                    r.registration.cancel();
                }
                done.completeExceptionally(explain(fd, e.getCause()));
            } catch (Throwable t) {
                r.open = false;
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
            if (open && writable) {
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
        return open;
    }

    /** Closes on the loop (waiting unless the caller is a loop); inline once the loop has ended. */
    @Override
    public void close() {
        loop.call(() -> closeInLoop(null));
    }

    private void closeInLoop(Throwable cause) {
        if (!open) {
            return;
        }
        open = false;
        Loop.cancelQuietly(registration);
        try {
            fd.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        onClosed.run();
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
