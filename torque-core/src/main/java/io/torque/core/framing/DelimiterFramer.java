package io.torque.core.framing;

import io.torque.core.net.ReadBuffer;

/** Frames ended by a delimiter; remembers how far an unfinished frame was scanned. */
final class DelimiterFramer extends Framer {
    private final byte[] delimiter;
    private final int maxLength;
    private final boolean stripCr;
    /** Bytes of the unfinished frame already scanned (none of them ends a delimiter). */
    private int scanned;

    DelimiterFramer(byte[] delimiter, int maxLength, boolean stripCr) {
        if (delimiter.length == 0) {
            throw new IllegalArgumentException("the delimiter is empty");
        }
        if (maxLength < delimiter.length) {
            throw new IllegalArgumentException("maxLength " + maxLength + " is shorter than the delimiter");
        }
        this.delimiter = delimiter;
        this.maxLength = maxLength;
        this.stripCr = stripCr;
    }

    @Override
    public int next(ReadBuffer in) {
        int readable = in.readableBytes();
        if (scanned > readable) {
            scanned = 0; // the caller consumed after a -1 (against the contract): scan again
        }
        int d = delimiter.length;
        byte last = delimiter[d - 1];
        // a delimiter ending at i + 1 needs i >= d - 1; resume where the last scan stopped
        for (int i = Math.max(scanned, d - 1); i < readable; i++) {
            if (i + 1 > maxLength) {
                scanned = 0;
                throw new FrameTooLongException(i + 1, maxLength, "a frame");
            }
            if (in.get(i) == last && endsDelimiter(in, i)) {
                scanned = 0;
                int payload = i + 1 - d;
                if (stripCr && payload > 0 && in.get(payload - 1) == '\r') {
                    payload--;
                }
                return frame(0, payload, i + 1);
            }
        }
        if (readable >= maxLength) {
            scanned = 0;
            throw new FrameTooLongException(readable, maxLength, "a frame");
        }
        scanned = readable;
        return -1;
    }

    private boolean endsDelimiter(ReadBuffer in, int end) {
        int start = end + 1 - delimiter.length;
        for (int k = 0; k < delimiter.length - 1; k++) {
            if (in.get(start + k) != delimiter[k]) {
                return false;
            }
        }
        return true;
    }
}
