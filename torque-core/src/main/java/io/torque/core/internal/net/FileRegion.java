package io.torque.core.internal.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.ptr.LongByReference;

/**
 * A part of a file a connection sends ({@code Connection.sendFile}): with {@code sendfile(2)}
 * (through JNA, torque's native access: Netty's own call is not public) from the file to the
 * socket, or, under TLS, read in chunks into plaintext for the engine. It sits in the write queue
 * as a zero-length marker buffer, so what was written before it goes first and what after, after.
 * Owner only, but for the opening. Internal API.
 */
final class FileRegion {
    /** The most bytes sent from a file per turn: a large file never holds its loop for long. */
    static final long BYTES_PER_TURN = 1 << 20;

    /** libc's open and close (once per file). */
    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int open(String path, int flags) throws LastErrorException;

        int close(int fd);
    }

    /**
     * libc's sendfile, JNA's direct mapping: called once per socket buffer's worth of file, so
     * without the interface mapping's reflective proxy (which measured no different in
     * bin/sources-bench, 0.98x Netty either way).
     */
    static final class Direct {
        static {
            Native.register("c");
        }

        private Direct() {
        }

        static native long sendfile(int outFd, int inFd, LongByReference offset, long count) throws LastErrorException;
    }

    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 02000000;

    private static final int EAGAIN = 11;

    final Path path;
    /** Its place in the write queue: a marker no write makes (identity counts). */
    final ByteBuffer marker = ByteBuffer.allocate(0);
    private final FileChannel channel;
    private final long count;
    private long position;
    private long remaining;
    private LongByReference offset;

    /**
     * The file's descriptor, for sendfile: opened read-only through libc (a FileChannel's fd is
     * not public, and Netty's FileDescriptor.from opens for writing and truncates).
     */
    private final int fd;
    private boolean fdOpen = true;

    /** Whether the channel is ours to close (opened from a path), not the caller's. */
    private final boolean ownsChannel;

    private FileRegion(Path path, int fd, FileChannel channel, long position, long count) {
        this.ownsChannel = fd >= 0;
        this.path = path;
        this.fd = fd;
        this.channel = channel;
        this.position = position;
        this.count = count;
        this.remaining = count;
    }

    /**
     * Opens the file and checks the range. On the calling thread.
     *
     * @throws IOException if the file cannot be opened (NoSuchFileException, AccessDeniedException)
     * @throws IllegalArgumentException if the range is negative or past the file's end
     */
    static FileRegion open(Path path, long position, long count) throws IOException {
        if (position < 0 || count < 0) {
            throw new IllegalArgumentException("negative position or count: " + position + ", " + count);
        }
        if (!java.nio.file.Files.isRegularFile(path)) {
            throw java.nio.file.Files.exists(path) ? new IOException("not a regular file: " + path)
                    : new java.nio.file.NoSuchFileException(path.toString());
        }
        int fd;
        try {
            fd = LibC.INSTANCE.open(path.toString(), O_RDONLY | O_CLOEXEC);
        } catch (LastErrorException e) {
            throw e.getErrorCode() == 13 ? new java.nio.file.AccessDeniedException(path.toString())
                    : new IOException("cannot open " + path + " (errno " + e.getErrorCode() + ")", e);
        }
        FileChannel ch = null;
        try {
            // the same open file, for its size and for TLS's reads: no second lookup of the path
            ch = FileChannel.open(Path.of("/proc/self/fd/" + fd), StandardOpenOption.READ);
            long size = ch.size();
            if (position > size || count > size - position) { // no overflow for huge counts
                throw new IllegalArgumentException("bytes " + position + ".." + (position + count) + " are past the end of "
                        + path + " (" + size + " bytes)");
            }
            return new FileRegion(path, fd, ch, position, count);
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                ch.close();
            }
            LibC.INSTANCE.close(fd);
            throw e;
        }
    }

    /**
     * A part of a caller's open channel: read in chunks (its descriptor is not public, so no
     * sendfile), never closed by torque.
     *
     * @throws IOException if its size cannot be read
     * @throws IllegalArgumentException if the range is negative or past its end
     */
    static FileRegion of(FileChannel channel, long position, long count) throws IOException {
        if (position < 0 || count < 0) {
            throw new IllegalArgumentException("negative position or count: " + position + ", " + count);
        }
        long size = channel.size();
        if (position > size || count > size - position) {
            throw new IllegalArgumentException("bytes " + position + ".." + (position + count) + " are past the end of the channel ("
                    + size + " bytes)");
        }
        return new FileRegion(null, -1, channel, position, count);
    }

    /** Whether sendfile can send it (a file torque opened), or it must be read (a caller's channel). */
    boolean canSendfile() {
        return fd >= 0;
    }

    long remaining() {
        return remaining;
    }

    boolean done() {
        return remaining == 0;
    }

    /**
     * One {@code sendfile} of up to {@code max} bytes to the socket.
     *
     * @return bytes sent; 0 when the socket is full
     * @throws IOException if the file ended before its range (it shrank) or the call failed
     */
    long sendTo(int socketFd, long max) throws IOException {
        if (offset == null) {
            offset = new LongByReference();
        }
        offset.setValue(position);
        long n;
        try {
            n = Direct.sendfile(socketFd, fd, offset, Math.min(max, remaining));
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EAGAIN) {
                return 0;
            }
            throw new IOException("sendfile of " + path + " failed (errno " + e.getErrorCode() + ")", e);
        }
        if (n == 0) {
            throw shrank();
        }
        position += n;
        remaining -= n;
        return n;
    }

    /**
     * Reads up to {@code dst}'s room from the file, for a TLS connection (which cannot sendfile).
     *
     * @return bytes read into {@code dst}
     * @throws IOException if the file ended before its range (it shrank)
     */
    int readInto(ByteBuffer dst) throws IOException {
        if (dst.remaining() > remaining) {
            dst.limit(dst.position() + (int) remaining);
        }
        int n = channel.read(dst, position);
        if (n <= 0) {
            throw shrank();
        }
        position += n;
        remaining -= n;
        return n;
    }

    private IOException shrank() {
        return new IOException("the file " + (path != null ? path : channel) + " ended before its last " + remaining + " bytes (of " + count
                + " to send): it shrank while being sent");
    }

    /** Closes the file (and the descriptor sendfile used). */
    void close() {
        if (ownsChannel) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to do
            }
        }
        if (fdOpen && fd >= 0) {
            fdOpen = false;
            LibC.INSTANCE.close(fd);
        }
    }
}
