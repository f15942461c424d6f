package io.torque.core.framing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

/**
 * Each framing mode: seeded fuzz (random frames, sent in random chunks, must come out whole and
 * in order), oversize frames (refused as soon as the limit is passed, holding no more than the
 * limit plus one chunk), garbage, and the API's edges.
 */
class FramerTest {
    private static final int SEEDS = 200;

    /** Feeds {@code stream} in random chunks, collecting the payloads of the frames found. */
    private static List<byte[]> decode(Framer f, byte[] stream, SplittableRandom rng) {
        ArrayReadBuffer in = new ArrayReadBuffer();
        List<byte[]> out = new ArrayList<>();
        int pos = 0;
        while (pos < stream.length) {
            int chunk = Math.min(stream.length - pos, 1 + rng.nextInt(rng.nextBoolean() ? 4 : 300));
            in.append(stream, pos, chunk);
            pos += chunk;
            int n;
            while ((n = f.next(in)) >= 0) {
                byte[] payload = new byte[f.payloadLength()];
                ByteBuffer view = f.payload(in);
                assertThat(view.remaining()).isEqualTo(f.payloadLength());
                view.get(payload);
                byte[] viaGet = new byte[f.payloadLength()];
                in.copyTo(f.payloadOffset(), viaGet, 0, viaGet.length);
                assertThat(viaGet).isEqualTo(payload);
                out.add(payload);
                in.consume(n);
            }
        }
        assertThat(in.readableBytes()).as("nothing left over").isZero();
        return out;
    }

    private static void fuzz(Function<SplittableRandom, byte[]> payloadOf, Function<byte[], byte[]> encode,
            Function<Integer, Framer> framer) {
        for (int seed = 1; seed <= SEEDS; seed++) {
            SplittableRandom rng = new SplittableRandom(seed);
            List<byte[]> sent = new ArrayList<>();
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            int frames = rng.nextInt(1, 60);
            for (int i = 0; i < frames; i++) {
                byte[] p = payloadOf.apply(rng);
                sent.add(p);
                stream.writeBytes(encode.apply(p));
            }
            List<byte[]> got = decode(framer.apply(seed), stream.toByteArray(), rng);
            assertThat(got).as("seed %d", seed).hasSize(sent.size());
            for (int i = 0; i < sent.size(); i++) {
                assertThat(got.get(i)).as("seed %d frame %d", seed, i).isEqualTo(sent.get(i));
            }
        }
    }

    /** Random bytes without any of {@code banned}. */
    private static byte[] bytesWithout(SplittableRandom rng, int max, byte... banned) {
        byte[] b = new byte[rng.nextInt(max + 1)];
        for (int i = 0; i < b.length; i++) {
            byte v;
            do {
                v = (byte) rng.nextInt(256);
            } while (contains(banned, v));
            b[i] = v;
        }
        return b;
    }

    private static boolean contains(byte[] a, byte v) {
        for (byte x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void linesComeOutWholeWithEitherEnding() {
        fuzz(rng -> bytesWithout(rng, 200, (byte) '\n', (byte) '\r'),
                p -> concat(p, p.length % 2 == 0 ? new byte[] {'\r', '\n'} : new byte[] {'\n'}), seed -> Framer.lines(202));
    }

    @Test
    void delimitedFramesComeOutWholeWithAMultiByteDelimiter() {
        byte[] delimiter = {'-', '-', '!'};
        // payloads may contain '-' and '!' alone, but never the whole delimiter or a trailing prefix of it
        fuzz(rng -> {
            byte[] p = bytesWithout(rng, 150, (byte) '!');
            return p.length > 0 && p[p.length - 1] == '-' ? concat(p, new byte[] {'x'}) : p;
        }, p -> concat(p, delimiter), seed -> Framer.delimited(delimiter, 160));
    }

    @Test
    void lengthPrefixedFramesComeOutWholeForEveryFieldSizeAndOrder() {
        for (int field : new int[] {1, 2, 4, 8}) {
            for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
                int max = field == 1 ? 255 : 3000;
                fuzz(rng -> bytesWithout(rng, max), p -> {
                    ByteBuffer b = ByteBuffer.allocate(field + p.length).order(order);
                    switch (field) {
                        case 1 -> b.put((byte) p.length);
                        case 2 -> b.putShort((short) p.length);
                        case 4 -> b.putInt(p.length);
                        default -> b.putLong(p.length);
                    }
                    return b.put(p).array();
                }, seed -> Framer.lengthPrefixed(field, order, max));
            }
        }
    }

    @Test
    void fixedLengthFramesComeOutWhole() {
        for (int len : new int[] {1, 7, 64}) {
            int l = len;
            fuzz(rng -> {
                byte[] b = new byte[l];
                rng.nextBytes(b);
                return b;
            }, p -> p, seed -> Framer.fixed(l));
        }
    }

    @Test
    void aPeerThatNeverEndsALineIsRefusedOnceItPassesTheLimitAndHoldsNoMore() {
        for (int seed = 1; seed <= SEEDS; seed++) {
            SplittableRandom rng = new SplittableRandom(seed);
            int max = rng.nextInt(2, 500);
            Framer f = Framer.lines(max);
            ArrayReadBuffer in = new ArrayReadBuffer();
            int chunkMax = 1 + rng.nextInt(64);
            int fed = 0;
            FrameTooLongException thrown = null;
            while (thrown == null && fed < 100_000) {
                byte[] chunk = bytesWithout(rng, chunkMax, (byte) '\n');
                in.append(chunk, 0, chunk.length);
                fed += chunk.length;
                try {
                    assertThat(f.next(in)).isEqualTo(-1);
                } catch (FrameTooLongException e) {
                    thrown = e;
                }
            }
            assertThat(thrown).as("seed %d", seed).isNotNull();
            assertThat(thrown.maxLength()).isEqualTo(max);
            assertThat(thrown.length()).isGreaterThan(max - 1);
            assertThat(in.readableBytes()).as("held when refused").isLessThan(max + chunkMax + 1);
        }
    }

    @Test
    void aLengthFieldOverTheLimitIsRefusedAtItsHeaderWhateverFollows() {
        Framer f = Framer.lengthPrefixed(4, ByteOrder.BIG_ENDIAN, 1000);
        ArrayReadBuffer in = new ArrayReadBuffer();
        in.append(new byte[] {0, 0, 3, (byte) 0xE9}, 0, 4); // 1001
        assertThatThrownBy(() -> f.next(in)).isInstanceOf(FrameTooLongException.class).hasMessageContaining("1001")
                .hasMessageContaining("1000");
        Framer eight = Framer.lengthPrefixed(8, ByteOrder.LITTLE_ENDIAN, 1000);
        ArrayReadBuffer garbage = new ArrayReadBuffer();
        garbage.append(new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) 0x80}, 0, 8); // top bit set: unsigned huge
        assertThatThrownBy(() -> eight.next(garbage)).isInstanceOf(FrameTooLongException.class);
        // exactly the maximum is fine, and an empty payload too
        Framer two = Framer.lengthPrefixed(2, ByteOrder.BIG_ENDIAN, 3);
        ArrayReadBuffer ok = new ArrayReadBuffer();
        ok.append(new byte[] {0, 3, 'a', 'b', 'c', 0, 0}, 0, 7);
        assertThat(two.next(ok)).isEqualTo(5);
        assertThat(two.payloadOffset()).isEqualTo(2);
        assertThat(two.payloadLength()).isEqualTo(3);
        ok.consume(5);
        assertThat(two.next(ok)).isEqualTo(2);
        assertThat(two.payloadLength()).isZero();
    }

    @Test
    void garbageWithoutDelimitersNeverYieldsAFrameAndIsRefusedAtTheLimit() {
        SplittableRandom rng = new SplittableRandom(99);
        Framer f = Framer.delimited("\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 4096);
        ArrayReadBuffer in = new ArrayReadBuffer();
        assertThatThrownBy(() -> {
            for (int i = 0; i < 10_000; i++) {
                byte[] chunk = bytesWithout(rng, 100, (byte) '\n');
                in.append(chunk, 0, chunk.length);
                assertThat(f.next(in)).isEqualTo(-1);
            }
        }).isInstanceOf(FrameTooLongException.class);
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> Framer.lines(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Framer.delimited(new byte[0], 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Framer.delimited(new byte[] {1, 2, 3}, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Framer.lengthPrefixed(3, ByteOrder.BIG_ENDIAN, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3");
        assertThatThrownBy(() -> Framer.lengthPrefixed(4, ByteOrder.BIG_ENDIAN, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Framer.fixed(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Framer.delimited(null, 10)).isInstanceOf(NullPointerException.class);
    }
}
