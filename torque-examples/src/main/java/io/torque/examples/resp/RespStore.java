package io.torque.examples.resp;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory map all loops share: a {@link ConcurrentHashMap} from key bytes to value bytes.
 * Values are never changed in place (SET and INCR put a new array), so a reader on another loop
 * sees a whole value. Thread-safe.
 */
final class RespStore {
    /** Key bytes with value equality. */
    record Key(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    /** INCR on a value that is not a 64-bit integer. */
    static final class NotAnInteger extends RuntimeException {
        NotAnInteger() {
            super("value is not an integer or out of range", null, false, false);
        }
    }

    private final ConcurrentHashMap<Key, byte[]> map = new ConcurrentHashMap<>();

    static Key key(ByteBuffer b, int start, int length) {
        byte[] k = new byte[length];
        b.get(start, k);
        return new Key(k);
    }

    void set(Key k, byte[] value) {
        map.put(k, value);
    }

    byte[] get(Key k) {
        return map.get(k);
    }

    boolean delete(Key k) {
        return map.remove(k) != null;
    }

    boolean exists(Key k) {
        return map.containsKey(k);
    }

    /** Adds 1 to the integer at {@code k} (0 when absent), atomically; the new value. */
    long incr(Key k) {
        long[] result = new long[1];
        map.compute(k, (key, old) -> {
            long v = old == null ? 0 : parse(old);
            if (v == Long.MAX_VALUE) {
                throw new NotAnInteger();
            }
            result[0] = v + 1;
            return Long.toString(v + 1).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        });
        return result[0];
    }

    private static long parse(byte[] v) {
        try {
            String s = new String(v, java.nio.charset.StandardCharsets.US_ASCII);
            if (s.isEmpty() || s.length() > 20 || s.startsWith("+") || (s.length() > 1 && (s.startsWith("0") || s.startsWith("-0")))) {
                throw new NotAnInteger();
            }
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new NotAnInteger();
        }
    }
}
