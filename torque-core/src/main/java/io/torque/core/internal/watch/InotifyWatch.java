package io.torque.core.internal.watch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.BiFunction;

import com.sun.jna.LastErrorException;

import io.netty.channel.unix.FileDescriptor;
import io.torque.core.fd.FdHandler;
import io.torque.core.fd.FdSource;
import io.torque.core.watch.PathEvent;
import io.torque.core.watch.PathHandler;
import io.torque.core.watch.PathWatch;

/**
 * One watched path: an inotify fd of its own ({@code IN_NONBLOCK}), registered as a raw fd
 * source on a loop, read until {@code EAGAIN} on each edge into a direct buffer and parsed
 * ({@code struct inotify_event}: wd, mask, cookie, len, name). Internal API.
 */
public final class InotifyWatch implements PathWatch, FdHandler {
    private static final int MASK = Inotify.IN_CREATE | Inotify.IN_MODIFY | Inotify.IN_CLOSE_WRITE | Inotify.IN_ATTRIB
            | Inotify.IN_DELETE | Inotify.IN_MOVED_FROM | Inotify.IN_MOVED_TO | Inotify.IN_DELETE_SELF | Inotify.IN_MOVE_SELF;
    /** Room for many events (each 16 bytes and its name); the kernel never splits one. */
    private static final int BUFFER = 64 * 1024;

    private final Path path;
    private final PathHandler handler;
    private final FileDescriptor fd;
    private final ByteBuffer events = ByteBuffer.allocateDirect(BUFFER).order(ByteOrder.nativeOrder()); // once per watch
    private volatile FdSource source;
    private boolean removed;

    private InotifyWatch(Path path, PathHandler handler, int fd) {
        this.path = path;
        this.handler = handler;
        this.fd = new FileDescriptor(fd);
    }

    /**
     * Starts watching {@code path}: the inotify fd and its watch, then the caller registers the
     * fd ({@code register(fd, watch)}) on a loop.
     *
     * @param register registers the fd with this handler, returning the source
     * @return the watch
     * @throws NoSuchFileException (unchecked as UncheckedIOException) when the path does not exist
     */
    public static InotifyWatch start(Path path, PathHandler handler, BiFunction<Integer, FdHandler, FdSource> register)
            throws IOException {
        int fd;
        try {
            fd = Inotify.INSTANCE.inotify_init1(Inotify.IN_NONBLOCK | Inotify.IN_CLOEXEC);
        } catch (LastErrorException e) {
            throw new IOException("inotify_init1 failed (errno " + e.getErrorCode() + "; EMFILE is the per-user "
                    + "limit fs.inotify.max_user_instances): " + e.getMessage(), e);
        }
        InotifyWatch w = new InotifyWatch(path, handler, fd);
        try {
            Inotify.INSTANCE.inotify_add_watch(fd, path.toString(), MASK);
        } catch (LastErrorException e) {
            w.closeFd();
            if (e.getErrorCode() == 2) { // ENOENT
                throw new NoSuchFileException(path.toString(), null, "cannot watch a path that does not exist");
            }
            throw new IOException("cannot watch " + path + ": inotify_add_watch errno " + e.getErrorCode()
                    + (e.getErrorCode() == 28 ? " (ENOSPC: the per-user limit fs.inotify.max_user_watches)" : "")
                    + (e.getErrorCode() == 13 ? " (EACCES: no read permission)" : ""), e);
        }
        try {
            w.source = register.apply(fd, w);
        } catch (RuntimeException e) {
            w.closeFd();
            throw e;
        }
        return w;
    }

    private void closeFd() {
        try {
            fd.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }

    @Override
    public void onReadable(FdSource s) throws Exception {
        while (!removed && s.isOpen()) { // a callback may close the watch: nothing after onClose
            int n = fd.read(events, 0, events.capacity());
            if (n <= 0) {
                return; // EAGAIN
            }
            for (int at = 0; at + 16 <= n && !removed && s.isOpen();) {
                int mask = events.getInt(at + 4);
                int cookie = events.getInt(at + 8);
                int len = events.getInt(at + 12);
                String name = len == 0 ? null : name(at + 16, len);
                at += 16 + len;
                dispatch(s, mask, cookie, name);
            }
        }
    }

    private String name(int from, int len) {
        int end = from;
        while (end < from + len && events.get(end) != 0) {
            end++; // the name is NUL-padded
        }
        byte[] b = new byte[end - from];
        events.get(from, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private void dispatch(FdSource s, int mask, int cookie, String name) throws Exception {
        if ((mask & Inotify.IN_Q_OVERFLOW) != 0) {
            handler.onOverflow(this);
            return;
        }
        if ((mask & (Inotify.IN_DELETE_SELF | Inotify.IN_MOVE_SELF | Inotify.IN_UNMOUNT | Inotify.IN_IGNORED)) != 0) {
            removed = true; // once: IN_DELETE_SELF is followed by IN_IGNORED
            handler.onRemoved(this); // if it throws, the source closes with that cause
            s.close(); // on this loop: inline
            return;
        }
        PathEvent.Kind kind = kind(mask);
        if (kind != null) {
            Path p = name == null ? path : path.resolve(name);
            handler.onEvent(this, new PathEvent(kind, p, (mask & Inotify.IN_ISDIR) != 0, cookie));
        }
    }

    private static PathEvent.Kind kind(int mask) {
        if ((mask & Inotify.IN_CREATE) != 0) {
            return PathEvent.Kind.CREATE;
        }
        if ((mask & Inotify.IN_DELETE) != 0) {
            return PathEvent.Kind.DELETE;
        }
        if ((mask & Inotify.IN_MOVED_FROM) != 0) {
            return PathEvent.Kind.MOVED_FROM;
        }
        if ((mask & Inotify.IN_MOVED_TO) != 0) {
            return PathEvent.Kind.MOVED_TO;
        }
        if ((mask & Inotify.IN_CLOSE_WRITE) != 0) {
            return PathEvent.Kind.CLOSE_WRITE;
        }
        if ((mask & Inotify.IN_MODIFY) != 0) {
            return PathEvent.Kind.MODIFY;
        }
        if ((mask & Inotify.IN_ATTRIB) != 0) {
            return PathEvent.Kind.ATTRIB;
        }
        return null;
    }

    @Override
    public void onClose(FdSource s, Throwable cause) {
        handler.onClose(this, cause);
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public boolean isOpen() {
        FdSource s = source;
        return s != null && s.isOpen();
    }

    @Override
    public void close() {
        FdSource s = source;
        if (s != null) {
            s.close();
        }
    }

    @Override
    public String toString() {
        return "watch of " + path;
    }
}
