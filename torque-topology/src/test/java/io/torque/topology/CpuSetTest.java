package io.torque.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class CpuSetTest {

    @Test
    void parsesTheKernelListForm() {
        assertThat(CpuSet.parseList("0-3,8,10-11\n").toArray()).containsExactly(0, 1, 2, 3, 8, 10, 11);
        assertThat(CpuSet.parseList("")).isEqualTo(CpuSet.EMPTY);
        assertThat(CpuSet.parseList(" 5 ").toArray()).containsExactly(5);
        assertThat(CpuSet.parseList("0-7:2/4").toArray()).containsExactly(0, 1, 4, 5);
    }

    @Test
    void parsesTheKernelMaskForm() {
        assertThat(CpuSet.parseMask("00000000,0000010f").toArray()).containsExactly(0, 1, 2, 3, 8);
        assertThat(CpuSet.parseMask("1,00000000").toArray()).containsExactly(32);
        assertThat(CpuSet.parseMask("ff").toArray()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(CpuSet.parseMask("00000000,00000000")).isEqualTo(CpuSet.EMPTY);
        assertThat(CpuSet.parseMask("fffff").size()).isEqualTo(20);
    }

    @Test
    void representsMoreThan1024CpusAndSparseNumbering() {
        CpuSet s = CpuSet.of(0, 63, 64, 1023, 1024, 4095);
        assertThat(s.size()).isEqualTo(6);
        assertThat(s.last()).isEqualTo(4095);
        assertThat(s.contains(1024)).isTrue();
        assertThat(s.contains(1025)).isFalse();
        assertThat(CpuSet.parseList(s.toString())).isEqualTo(s);
        assertThat(CpuSet.parseMask(s.toMaskString())).isEqualTo(s);
        assertThat(s.toString()).isEqualTo("0,63-64,1023-1024,4095");
    }

    @Test
    void rejectsMalformedTextWithTheTextInTheMessage() {
        assertThatThrownBy(() -> CpuSet.parseList("0-x")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0-x");
        assertThatThrownBy(() -> CpuSet.parseList("5-3")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5-3");
        assertThatThrownBy(() -> CpuSet.parseList("-1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CpuSet.parseMask("0000zz00")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zz");
        assertThatThrownBy(() -> CpuSet.of(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(CpuSet.EMPTY::first).isInstanceOf(java.util.NoSuchElementException.class);
    }

    /** Seeded property test: set algebra and both text forms agree with java.util.BitSet. */
    @Test
    void agreesWithBitSetOnRandomSets() {
        SplittableRandom rnd = new SplittableRandom(0x70_72_71_75_65L);
        for (int round = 0; round < 2_000; round++) {
            int width = 1 + rnd.nextInt(round % 10 == 0 ? 5000 : 200);
            BitSet a = random(rnd, width);
            BitSet b = random(rnd, width);
            CpuSet x = of(a);
            CpuSet y = of(b);
            String seed = "round " + round;
            assertThat(x.size()).as(seed).isEqualTo(a.cardinality());
            assertThat(CpuSet.parseList(x.toString())).as(seed).isEqualTo(x);
            assertThat(CpuSet.parseMask(x.toMaskString())).as(seed).isEqualTo(x);
            BitSet and = (BitSet) a.clone();
            and.and(b);
            BitSet or = (BitSet) a.clone();
            or.or(b);
            BitSet andNot = (BitSet) a.clone();
            andNot.andNot(b);
            assertThat(x.and(y)).as(seed).isEqualTo(of(and));
            assertThat(x.or(y)).as(seed).isEqualTo(of(or));
            assertThat(x.andNot(y)).as(seed).isEqualTo(of(andNot));
            assertThat(x.intersects(y)).as(seed).isEqualTo(a.intersects(b));
            assertThat(x.or(y).containsAll(x)).as(seed).isTrue();
            assertThat(x.containsAll(y)).as(seed).isEqualTo(andNot(b, a).isEmpty());
            assertThat(Integer.signum(x.compareTo(y))).as(seed).isEqualTo(-Integer.signum(y.compareTo(x)));
            assertThat(x.compareTo(y) == 0).as(seed).isEqualTo(x.equals(y));
        }
    }

    private static BitSet andNot(BitSet a, BitSet b) {
        BitSet r = (BitSet) a.clone();
        r.andNot(b);
        return r;
    }

    private static BitSet random(SplittableRandom rnd, int width) {
        BitSet s = new BitSet();
        double density = rnd.nextDouble();
        for (int i = 0; i < width; i++) {
            if (rnd.nextDouble() < density) {
                s.set(i);
            }
        }
        return s;
    }

    private static CpuSet of(BitSet bits) {
        return CpuSet.of(bits.stream().toArray());
    }
}
