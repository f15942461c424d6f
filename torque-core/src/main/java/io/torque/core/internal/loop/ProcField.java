package io.torque.core.internal.loop;

import java.io.IOException;
import java.io.RandomAccessFile;

/**
 * One decimal field of a small procfs file, re-read on demand: the file is opened once and each
 * read is one read of a few bytes parsed in place, with no allocation and no open/close per read.
 * Fields are separated by spaces and counted from 0; a field ends at its first non-digit
 * ({@code 3/77} reads as 3). Used for {@code /proc/thread-self/schedstat} (run-time wait-time
 * timeslices: field 1 is the thread's run-queue wait; {@code thread-self} resolves at open, so
 * the opening thread must be the one measured) and {@code /proc/loadavg} (field 3 is the number of
 * runnable threads on the machine). One thread only; where the file is missing every read is -1.
 */
final class ProcField implements AutoCloseable {
    static final String SCHEDSTAT = "/proc/thread-self/schedstat";
    static final String LOADAVG = "/proc/loadavg";

    private final byte[] buf = new byte[128];
    private final RandomAccessFile file;
    private final int field;

    ProcField(String path, int field) {
        RandomAccessFile f;
        try {
            f = new RandomAccessFile(path, "r");
        } catch (IOException e) {
            f = null;
        }
        this.file = f;
        this.field = field;
    }

    /**
     * The field's value now, or -1 where unreadable.
     *
     * @return the value
     */
    long read() {
        if (file == null) {
            return -1;
        }
        try {
            file.seek(0);
            int n = file.read(buf, 0, buf.length);
            return n <= 0 ? -1 : field(buf, n, field);
        } catch (IOException e) {
            return -1;
        }
    }

    /** The {@code index}th space-separated decimal field of the first {@code n} bytes, or -1. */
    static long field(byte[] b, int n, int index) {
        int i = 0;
        for (int skip = 0; skip < index; skip++) {
            while (i < n && b[i] != ' ') {
                i++;
            }
            while (i < n && b[i] == ' ') {
                i++;
            }
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
