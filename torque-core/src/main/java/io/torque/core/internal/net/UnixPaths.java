package io.torque.core.internal.net;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import io.netty.channel.unix.DomainSocketAddress;

/**
 * Unix domain socket addresses as torque takes them: a {@link UnixDomainSocketAddress} whose
 * path names a socket file, or, starting with {@code @}, a name in Linux's abstract namespace
 * (written so by {@code ss} and systemd): no file, gone when the last socket closes. Internal API.
 */
public final class UnixPaths {
    /** sun_path holds 108 bytes; a file path needs its terminating NUL. */
    static final int MAX_PATH_BYTES = 107;

    private UnixPaths() {
    }

    /** Why a bind on an existing path is refused (Netty's bind would unlink it). */
    static final String EXISTS = "the path exists (a socket bound by a live process, or left by a dead one, to remove first)";

    /** Whether a socket file (or anything) is at the address's path; false for an abstract name. */
    static boolean fileExists(UnixDomainSocketAddress address) {
        return !isAbstract(address) && Files.exists(address.getPath(), java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    /** Whether the address names an abstract socket. */
    static boolean isAbstract(UnixDomainSocketAddress address) {
        return address.getPath().toString().startsWith("@");
    }

    /**
     * The address as Netty binds and connects it: the path, or for an abstract name a leading NUL.
     *
     * @throws IllegalArgumentException for an empty path, or one longer than the kernel takes
     */
    static DomainSocketAddress toNetty(UnixDomainSocketAddress address) {
        String path = address.getPath().toString();
        if (path.isEmpty() || path.equals("@")) {
            throw new IllegalArgumentException("an empty Unix socket path");
        }
        String native_ = isAbstract(address) ? "\0" + path.substring(1) : path;
        int bytes = native_.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_PATH_BYTES) {
            throw new IllegalArgumentException("the Unix socket path is " + bytes + " bytes, more than the kernel's "
                    + MAX_PATH_BYTES + ": " + path);
        }
        return new DomainSocketAddress(native_);
    }

    /**
     * Checks that the kernel can take the address.
     *
     * @param address the address
     * @throws IllegalArgumentException for an empty path, or one longer than the kernel takes
     */
    public static void check(UnixDomainSocketAddress address) {
        toNetty(address);
    }

    /**
     * A Unix connect's failure, naming the path (Netty's says "FileNotFoundException" and no path
     * when nothing is there, and treats a full backlog, EAGAIN, as a failure).
     */
    static java.net.ConnectException connectFailed(UnixDomainSocketAddress address, IOException e) {
        String why = e instanceof java.io.FileNotFoundException ? "no socket at that path"
                : String.valueOf(e.getMessage()).contains("temporarily unavailable")
                        ? "the listener's backlog is full (EAGAIN)" : String.valueOf(e.getMessage());
        java.net.ConnectException c = new java.net.ConnectException("cannot connect to " + address + ": " + why);
        c.initCause(e);
        return c;
    }

    /** The identity (device and inode) of the socket file a bind made; null for an abstract name or none. */
    static Object fileKey(UnixDomainSocketAddress address) {
        if (isAbstract(address)) {
            return null;
        }
        try {
            return Files.readAttributes(address.getPath(), java.nio.file.attribute.BasicFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Removes a listener's socket file (none for an abstract name), quietly, and only if it is
     * still the file its bind made: in a rolling restart a new process may own the path by now.
     */
    static void remove(UnixDomainSocketAddress address, Object key) {
        if (!isAbstract(address) && key != null && key.equals(fileKey(address))) {
            try {
                Files.deleteIfExists(address.getPath());
            } catch (IOException ignored) {
                // someone else's to clean up now
            }
        }
    }
}
