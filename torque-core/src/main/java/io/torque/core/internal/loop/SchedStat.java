package io.torque.core.internal.loop;

import java.io.IOException;
import java.io.RandomAccessFile;

/**
 * The calling thread's run-queue wait (time runnable but not running), from
 * {@code /proc/thread-self/schedstat}: "run-time wait-time timeslices", in nanoseconds. The file
 * is opened once by the thread that reads it ({@code thread-self} resolves at open) and each
 * sample is one {@code pread}-like read of a few bytes parsed in place: no allocation, no
 * open/close per sample. One thread only; where the file is missing every sample is -1.
 */
final class SchedStat implements AutoCloseable {
    private static final String PATH = "/proc/thread-self/schedstat";
    private final byte[] buf = new byte[96];
    private final RandomAccessFile file;

    SchedStat() {
        RandomAccessFile f;
        try {
            f = new RandomAccessFile(PATH, "r");
        } catch (IOException e) {
            f = null;
        }
        this.file = f;
    }

    /**
     * The total run-queue wait of the thread that opened this, or -1 where unreadable.
     *
     * @return nanoseconds
     */
    long runQueueWaitNanos() {
        if (file == null) {
            return -1;
        }
        try {
            file.seek(0);
            int n = file.read(buf, 0, buf.length);
            return n <= 0 ? -1 : secondField(buf, n);
        } catch (IOException e) {
            return -1;
        }
    }

    /** The second space-separated decimal field of the first {@code n} bytes, or -1. */
    static long secondField(byte[] b, int n) {
        int i = 0;
        while (i < n && b[i] != ' ') {
            i++;
        }
        while (i < n && b[i] == ' ') {
            i++;
        }
        long v = 0;
        int digits = 0;
        for (; i < n && b[i] >= '0' && b[i] <= '9'; i++, digits++) {
            v = v * 10 + (b[i] - '0');
        }
        return digits == 0 ? -1 : v;
    }

    @Override
    public void close() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }
}
