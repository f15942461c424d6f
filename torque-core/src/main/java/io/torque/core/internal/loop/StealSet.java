package io.torque.core.internal.loop;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

/**
 * STEAL_POLL and STEAL_EPOLL: one loop's connections' read readiness, in an epoll set of torque's own that the loop
 * and idle loops both poll, so readiness that arrives while the loop is inside a turn, which
 * the loop cannot poll until the turn ends, can be taken by a loop that has nothing to do (the
 * simulator's STEAL_POLL, docs/scale.md).
 *
 * <p>A connection homed on the loop is in this set for reading ({@code EPOLLIN | EPOLLRDHUP},
 * edge-triggered) and in the loop's Netty set only for what else it needs ({@code EPOLLOUT}
 * while bytes wait for room, and the errors epoll always reports). The set itself is registered
 * in the loop's Netty set, level-triggered: when it holds readiness, the loop drains it without
 * blocking ({@link #handle}, at most {@value #HOME_HAUL} per pass) and lists each source for its
 * round, as if Netty had reported it. Each edge is reported to one poller only, so a source a
 * thief took does not come back to its home as an empty read. A thief polls the set only while
 * the loop is crowded and inside its turns ({@code Scoreboard.CROWDED}), so under even load
 * nothing is taken and the loop keeps its own sources. What a thief gets is claimed through the
 * source's hand-off claim and worked with its ownership protocol, exactly as a queued steal is:
 * a source whose owner is running its turn gets the read as pending work, a source already
 * queued elsewhere is left to that turn. epoll reports only what is still ready when a poller
 * waits (it polls each listed source again).
 *
 * <p>The event's data is the source's slot in this set's table (chunks of {@value #CHUNK}, never
 * moved, so a slot is freed in place by any thread). A slot freed and reused between a report
 * and its lookup gives the new source one spurious turn: harmless, it reads nothing or serves
 * what is there. A closed socket leaves every epoll set by itself, so closing needs no
 * {@code EPOLL_CTL_DEL}; a source that moves home leaves with {@link #remove} (STEAL_EPOLL).
 *
 * <p>Threads: {@link #add}, {@link #remove} and {@link #handle} on the home loop's thread only
 * (one adder: the cursor and the table's growth are its own); {@link #release} on any;
 * {@link #poll} on thieves' threads, each with its own {@link Haul}; {@link #closeSet} once,
 * after every loop of the context has ended (a thief must never wait on a closed, perhaps
 * reused, fd); Netty's {@link #close} does nothing.
 */
public final class StealSet implements io.netty.channel.epoll.EpollIoHandle {
    static final int CHUNK = 256;
    /** The most events the home loop takes from its set per pass (the registration is level-triggered: more come next pass). */
    static final int HOME_HAUL = 1024;
    /** Epoll's report that the peer hung up or the socket failed: reads go on to EOF or the error. */
    static final int HANG_UP = EpollCalls.EPOLLRDHUP | EpollCalls.EPOLLERR | EpollCalls.EPOLLHUP;

    private final int epfd;
    /** The same fd as Netty sees it; Netty never closes it ({@link #close} is ours). */
    private final io.netty.channel.unix.FileDescriptor nettyFd;
    /** The home loop's buffers for draining its own set (home thread only; made at the first drain). */
    private Haul homeHaul;
    /** The home loop: where its drained sources are listed. */
    private final Loop home;
    /** One {@code struct epoll_event} for {@link #add} (home thread only). */
    private final Memory ctlEvent = new Memory(EpollCalls.EVENT_SIZE);
    /** Slot chunks; the array is replaced when it grows (volatile), the chunks never move. */
    private volatile AtomicReferenceArray<ReadySource>[] chunks;
    private final AtomicInteger live = new AtomicInteger();
    /** Where the next free-slot search starts (home thread only). */
    private int cursor;
    private boolean closed;

    /**
     * Whether a report from a steal set says the source is readable (or at its end).
     *
     * @param events epoll's event bits
     * @return true when a read is due
     */
    public static boolean readable(int events) {
        return (events & (EpollCalls.EPOLLIN | HANG_UP)) != 0;
    }

    /**
     * Whether a report from a steal set says the peer hung up or the socket failed.
     *
     * @param events epoll's event bits
     * @return true when reads must go on to EOF or the error
     */
    public static boolean hungUp(int events) {
        return (events & HANG_UP) != 0;
    }

    /**
     * Whether a report from a steal set says the socket failed.
     *
     * @param events epoll's event bits
     * @return true on EPOLLERR
     */
    public static boolean failed(int events) {
        return (events & EpollCalls.EPOLLERR) != 0;
    }

    private StealSet(int epfd, Loop home) {
        this.epfd = epfd;
        this.home = home;
        this.nettyFd = new io.netty.channel.unix.FileDescriptor(epfd);
        this.chunks = oneChunk();
    }

    /**
     * A new, empty set for {@code home}, registered in its Netty set (waits until it is).
     *
     * @param home the loop whose connections it will hold
     * @return the set
     * @throws IOException if the kernel refuses an epoll fd or the loop the registration
     */
    static StealSet open(Loop home) throws IOException {
        int fd;
        try {
            fd = EpollCalls.epoll_create1(EpollCalls.EPOLL_CLOEXEC);
        } catch (LastErrorException e) {
            throw new IOException("epoll_create1 failed (errno " + e.getErrorCode() + ")", e);
        }
        StealSet set = new StealSet(fd, home);
        io.netty.channel.IoRegistration reg = null;
        try {
            reg = home.register(set).syncUninterruptibly().getNow();
            reg.submit(io.netty.channel.epoll.EpollIoOps.EPOLLIN); // level-triggered: what one pass leaves is reported again
        } catch (Throwable e) { // syncUninterruptibly rethrows whatever failed the registration, checked or not
            Loop.cancelQuietly(reg);
            set.closeSet();
            throw new IOException("the loop refused its steal set's registration: " + e, e);
        }
        return set;
    }

    /**
     * Netty reports the set readable: drains what is ready (bounded) and lists each source for
     * this round. Home loop thread; never throws (Netty would drop the rest of its batch).
     */
    @Override
    public void handle(io.netty.channel.IoRegistration registration, io.netty.channel.IoEvent event) {
        try {
            if (homeHaul == null) {
                homeHaul = new Haul(HOME_HAUL);
            }
            int n = poll(homeHaul, HOME_HAUL);
            ReadySource[] got = homeHaul.sources;
            for (int i = 0; i < n; i++) {
                ReadySource s = got[i];
                got[i] = null;
                try {
                    s.readyInSet(homeHaul.bits[i]);
                } catch (Throwable t) {
                    home.report(s, t);
                }
            }
        } catch (Throwable t) {
            home.report(this, t);
        }
    }

    @Override
    public io.netty.channel.unix.FileDescriptor fd() {
        return nettyFd;
    }

    /**
     * Puts a source's socket in the set. Home loop thread only.
     *
     * @param source the source thieves will work
     * @param fd its socket
     * @return its slot, for {@link #release}
     * @throws IOException if epoll_ctl fails
     */
    public int add(ReadySource source, int fd) throws IOException {
        int slot = freeSlot();
        chunk(slot).set(slot % CHUNK, source); // before the ctl: a report of it finds it
        live.incrementAndGet();
        ctlEvent.setInt(0, EpollCalls.EPOLLIN | EpollCalls.EPOLLRDHUP | EpollCalls.EPOLLET);
        ctlEvent.setLong(EpollCalls.DATA_OFFSET, slot);
        try {
            EpollCalls.epoll_ctl(epfd, EpollCalls.EPOLL_CTL_ADD, fd, com.sun.jna.Pointer.nativeValue(ctlEvent));
        } catch (LastErrorException e) {
            release(slot, source);
            throw new IOException("epoll_ctl(ADD) of fd " + fd + " to a steal set failed (errno " + e.getErrorCode() + ")", e);
        }
        return slot;
    }

    /**
     * Takes a source's open socket out of the set and frees its slot (it moves home). Home loop
     * thread only.
     *
     * @param slot what {@link #add} returned
     * @param source the source
     * @param fd its socket
     */
    public void remove(int slot, ReadySource source, int fd) {
        try {
            EpollCalls.epoll_ctl(epfd, EpollCalls.EPOLL_CTL_DEL, fd, 0L);
        } catch (LastErrorException e) {
            // not in the set (ENOENT): nothing to take out
        }
        release(slot, source);
    }

    /**
     * Frees a source's slot, once its socket is closed (or it was never added). Any thread;
     * idempotent: frees it only while it still holds {@code source}.
     *
     * @param slot what {@link #add} returned
     * @param source the source
     */
    public void release(int slot, ReadySource source) {
        if (chunk(slot).compareAndSet(slot % CHUNK, source, null)) {
            live.decrementAndGet();
        }
    }

    /**
     * Takes up to {@code max} sources that are ready now, without blocking. A thief's thread.
     *
     * @param haul the thief's buffers; the sources land in {@link Haul#sources}
     * @param max at most this many ({@code <=} the haul's capacity)
     * @return how many were taken (0 when none are ready)
     */
    int poll(Haul haul, int max) {
        int n;
        try {
            n = EpollCalls.epoll_wait(epfd, haul.address, Math.min(max, haul.capacity), 0);
        } catch (LastErrorException e) {
            return 0; // EINTR: nothing taken; anything else cannot happen with a valid set
        }
        int got = 0;
        AtomicReferenceArray<ReadySource>[] c = chunks;
        for (int i = 0; i < n; i++) {
            long at = (long) i * EpollCalls.EVENT_SIZE;
            long slot = haul.events.getLong(at + EpollCalls.DATA_OFFSET);
            ReadySource s = slot >= 0 && slot < (long) c.length * CHUNK ? c[(int) slot / CHUNK].get((int) slot % CHUNK) : null;
            if (s != null) {
                haul.bits[got] = haul.events.getInt(at);
                haul.sources[got++] = s;
            }
        }
        return got;
    }

    /**
     * Netty's close, as its loop shuts down: nothing (thieves may still poll the set until every
     * loop has ended; {@link #closeSet} closes it then).
     */
    @Override
    public void close() {
    }

    /** Closes the epoll fd and frees the buffers; once, after every loop that could poll it has ended. */
    synchronized void closeSet() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            EpollCalls.close(epfd);
        } catch (LastErrorException ignored) {
            // nothing more to do with it
        }
        ctlEvent.close();
        if (homeHaul != null) {
            homeHaul.close();
        }
    }

    private AtomicReferenceArray<ReadySource> chunk(int slot) {
        return chunks[slot / CHUNK];
    }

    /** A free slot, growing the table by a chunk when it is three quarters full. Home thread. */
    private int freeSlot() {
        AtomicReferenceArray<ReadySource>[] c = chunks;
        int capacity = c.length * CHUNK;
        if (live.get() >= capacity - capacity / 4) {
            AtomicReferenceArray<ReadySource>[] grown = java.util.Arrays.copyOf(c, c.length + 1);
            grown[c.length] = new AtomicReferenceArray<>(CHUNK);
            chunks = grown; // volatile: thieves see the new chunk before any slot in it is reported
            c = grown;
            capacity = c.length * CHUNK;
        }
        for (int k = 0; k < capacity; k++) { // at most a quarter full of holes to pass: short on average
            int slot = cursor + k < capacity ? cursor + k : cursor + k - capacity;
            if (c[slot / CHUNK].get(slot % CHUNK) == null) {
                cursor = slot + 1 < capacity ? slot + 1 : 0;
                return slot;
            }
        }
        throw new IllegalStateException("no free slot in a steal set of " + capacity); // live counts every taken slot
    }

    @SuppressWarnings("unchecked")
    private static AtomicReferenceArray<ReadySource>[] oneChunk() {
        return new AtomicReferenceArray[] {new AtomicReferenceArray<ReadySource>(CHUNK)};
    }

    /** A thief's buffers for {@link #poll}: native events and the sources they name. Its thread only. */
    static final class Haul implements AutoCloseable {
        final int capacity;
        final Memory events;
        final long address;
        final ReadySource[] sources;
        /** Each source's epoll events, as reported. */
        final int[] bits;

        Haul(int capacity) {
            this.capacity = capacity;
            this.events = new Memory((long) capacity * EpollCalls.EVENT_SIZE);
            this.address = com.sun.jna.Pointer.nativeValue(events);
            this.sources = new ReadySource[capacity];
            this.bits = new int[capacity];
        }

        @Override
        public void close() {
            events.close();
        }
    }
}
