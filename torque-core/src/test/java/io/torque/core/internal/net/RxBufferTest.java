package io.torque.core.internal.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

class RxBufferTest {
    private static final io.torque.core.internal.loop.BufferPool POOL = new io.torque.core.internal.loop.BufferPool();


    private static ByteBuffer scratch(int n) {
        ByteBuffer s = ByteBuffer.allocateDirect(64);
        for (int i = 0; i < n; i++) {
            s.put(i, (byte) i);
        }
        return s;
    }

    /** The loop's scratch buffer is shared: one connection's bytes() must not limit the next one's reads. */
    @Test
    void aStaleLimitOnTheSharedScratchDoesNotHideBytes() {
        ByteBuffer s = scratch(40);
        RxBuffer first = new RxBuffer(4096);
        first.inScratch(s, 3);
        assertThat(first.bytes().remaining()).isEqualTo(3); // sets the scratch's limit to 3
        first.consumeAll();
        first.settle(POOL);

        RxBuffer second = new RxBuffer(4096);
        second.inScratch(s, 20);
        assertThat(second.get(15)).isEqualTo((byte) 15);
        byte[] copy = new byte[5];
        second.copyTo(10, copy, 0, 5);
        assertThat(copy).containsExactly(10, 11, 12, 13, 14);
        assertThat(second.bytes().remaining()).isEqualTo(20);
    }

    @Test
    void leftoversMoveToTheOwnBufferAndComeFirst() {
        ByteBuffer s = scratch(10);
        RxBuffer rx = new RxBuffer(4096);
        rx.inScratch(s, 10);
        rx.consume(6);
        rx.settle(POOL); // 4 left: 6, 7, 8, 9
        assertThat(rx.holdsBytes()).isTrue();
        ByteBuffer own = rx.ownForAppend(POOL);
        own.put(rx.end(), (byte) 42);
        rx.appended(1);
        assertThat(rx.readableBytes()).isEqualTo(5);
        assertThat(rx.get(0)).isEqualTo((byte) 6);
        assertThat(rx.get(4)).isEqualTo((byte) 42);
        assertThatThrownBy(() -> rx.get(5)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> rx.consume(6)).isInstanceOf(IllegalArgumentException.class);
    }

    /** A handler that keeps the ReadBuffer past its callback gets an exception, not another connection's bytes. */
    @Test
    void theBufferIsUsableOnlyWhileLent() {
        RxBuffer rx = new RxBuffer(4096);
        assertThatThrownBy(rx::readableBytes).isInstanceOf(IllegalStateException.class);
        rx.inScratch(scratch(8), 8);
        assertThat(rx.get(7)).isEqualTo((byte) 7);
        rx.consume(2);
        rx.settle(POOL);
        assertThatThrownBy(() -> rx.get(0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("only during the onRead call");
        assertThatThrownBy(rx::bytes).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> rx.consume(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(rx::consumeAll).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> rx.copyTo(0, new byte[1], 0, 1)).isInstanceOf(IllegalStateException.class);
    }

    /**
     * A connection handed between two loops reads from their two scratch buffers in turn: each
     * gets its own cached view, so moving back and forth allocates nothing (before, one cached
     * view was replaced at every move), and each view shows its own loop's bytes.
     */
    @Test
    void movingBetweenTwoLoopsReusesTheirViews() {
        ByteBuffer home = scratch(8);
        ByteBuffer neighbour = scratch(16);
        RxBuffer rx = new RxBuffer(4096);
        rx.inScratch(home, 8);
        ByteBuffer homeView = rx.bytes();
        rx.consumeAll();
        rx.settle(POOL);
        rx.inScratch(neighbour, 16);
        ByteBuffer neighbourView = rx.bytes();
        assertThat(neighbourView).isNotSameAs(homeView);
        assertThat(neighbourView.remaining()).isEqualTo(16);
        rx.consumeAll();
        rx.settle(POOL);
        for (int i = 0; i < 10; i++) {
            rx.inScratch(home, 8);
            assertThat(rx.bytes()).isSameAs(homeView);
            assertThat(homeView.remaining()).isEqualTo(8);
            rx.consumeAll();
            rx.settle(POOL);
            rx.inScratch(neighbour, 16);
            assertThat(rx.bytes()).isSameAs(neighbourView);
            assertThat(neighbourView.get(15)).isEqualTo((byte) 15);
            rx.consumeAll();
            rx.settle(POOL);
        }
        assertThat(homeView.remaining()).as("emptied after the callback").isZero();
    }
}
