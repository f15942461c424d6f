package io.torque.core.internal.udp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.unix.DatagramSocketAddress;
import io.netty.channel.unix.FileDescriptor;
import io.torque.core.internal.loop.Loop;
import io.torque.core.udp.DatagramHandler;
import io.torque.core.udp.DatagramOptions;
import io.torque.core.udp.DatagramSocket;

/**
 * A UDP socket registered edge-triggered on one loop, which does all its work: receiving (up to
 * the turn's read budget, then a queued turn), sending, and the queue of datagrams waiting for
 * room ({@code EPOLLOUT} asked for only while one waits). Datagrams from other threads are copied
 * into an outbox and handed over as one task per burst. A datagram is received into the loop's
 * scratch buffer and handed to the handler as a read-only view of it, one byte larger than the
 * limit so that a larger datagram shows (the kernel cuts it to the buffer). Internal API.
 */
public final class UdpSocket implements DatagramSocket, EpollIoHandle {
    private static final EpollIoOps READING = EpollIoOps.EPOLLIN.with(EpollIoOps.EPOLLET);
    private static final EpollIoOps READING_AND_WRITING = READING.with(EpollIoOps.EPOLLOUT);
    private static final int IPPROTO_IP = 0;
    private static final int IP_ADD_MEMBERSHIP = 35;
    private static final int IP_DROP_MEMBERSHIP = 36;
    private static final int IPPROTO_IPV6 = 41;
    private static final int IPV6_ADD_MEMBERSHIP = 20;
    private static final int IPV6_DROP_MEMBERSHIP = 21;

    /** A datagram waiting for room: a copy and its receiver (null: the connected peer). */
    private record Pending(byte[] bytes, InetSocketAddress to) {
    }

    private final LinuxSocket socket;
    private final Loop loop;
    private final DatagramHandler handler;
    private final DatagramOptions options;
    private final Consumer<UdpSocket> onClosed;
    private final InetSocketAddress local;
    /** The façade the handler sees (the group, for a SO_REUSEPORT member). */
    private DatagramSocket face = this;
    private IoRegistration registration;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final ArrayDeque<Pending> queue = new ArrayDeque<>(); // loop only
    private final ConcurrentLinkedQueue<Pending> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean outboxScheduled = new AtomicBoolean();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Runnable outboxTask;
    private final Runnable readTask;
    private boolean readQueued;
    private boolean watchingWritable;
    private volatile InetSocketAddress connected;
    /** A read-only view of the loop's receive scratch, made once (loop only). */
    private ByteBuffer view;
    private ByteBuffer viewOf;

    private UdpSocket(LinuxSocket socket, Loop loop, DatagramHandler handler, DatagramOptions options, Consumer<UdpSocket> onClosed,
            InetSocketAddress local) {
        this.socket = socket;
        this.loop = loop;
        this.handler = handler;
        this.options = options;
        this.onClosed = onClosed;
        this.local = local;
        this.outboxTask = () -> {
            outboxScheduled.set(false); // before the drain: a send after it schedules again
            drainOutbox();
        };
        this.readTask = () -> {
            readQueued = false;
            receiveAll();
        };
    }

    /**
     * Binds a socket (with SO_REUSEPORT when asked) and registers it on {@code loop}; returns once
     * it receives.
     *
     * @throws java.net.BindException (as an IOException) when the address is in use or not local
     */
    public static UdpSocket bind(InetSocketAddress address, DatagramOptions options, Loop loop, DatagramHandler handler,
            Consumer<UdpSocket> onClosed) throws IOException {
        LinuxSocket socket = LinuxSocket.newSocketDgram(address.getAddress() instanceof Inet6Address);
        try {
            socket.setReuseAddress(true);
            if (options.reusePort()) {
                socket.setReusePort(true);
            }
            if (options.broadcast()) {
                socket.setBroadcast(true);
            }
            try {
                socket.bind(address);
            } catch (IOException e) {
                java.net.BindException b = new java.net.BindException("cannot bind UDP " + address + ": " + e.getMessage());
                b.initCause(e);
                throw b;
            }
            UdpSocket u = new UdpSocket(socket, loop, handler, options, onClosed, socket.localAddress());
            java.util.concurrent.CompletableFuture<Void> started = new java.util.concurrent.CompletableFuture<>();
            loop.execute(() -> {
                try {
                    u.registration = loop.netty().register(u).getNow();
                    u.registration.submit(READING);
                    started.complete(null);
                } catch (Throwable t) {
                    started.completeExceptionally(t);
                }
            });
            if (!loop.join(started)) {
                throw new IllegalStateException("the torque context closed before the UDP socket on " + address + " registered");
            }
            try {
                started.join();
            } catch (java.util.concurrent.CompletionException e) {
                throw new IOException("cannot register the UDP socket on " + address, e.getCause());
            }
            return u;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** A SO_REUSEPORT member shows its group to the handler. */
    void face(DatagramSocket group) {
        this.face = group;
    }

    /** The loop this socket lives on. */
    Loop loop() {
        return loop;
    }

    @Override
    public FileDescriptor fd() {
        return socket;
    }

    /** Readable or writable. Never throws: Netty would drop the rest of its batch. */
    @Override
    public void handle(IoRegistration reg, IoEvent event) {
        try {
            EpollIoOps ops = ((EpollIoEvent) event).ops();
            if (ops.contains(EpollIoOps.EPOLLOUT) || ops.contains(EpollIoOps.EPOLLERR)) {
                sendQueued();
            }
            if (ops.contains(EpollIoOps.EPOLLIN) || ops.contains(EpollIoOps.EPOLLERR)) {
                receiveAll();
            }
        } catch (Throwable t) {
            loop.report(this, t);
        }
    }

    /** Receives up to the turn's budget; more waits for a queued turn (no edge would come). */
    private void receiveAll() {
        int budget = loop.budgets().readsPerTurn();
        ByteBuffer scratch = loop.buffers().receive();
        int cap = Math.min(scratch.capacity(), options.maxDatagramBytes() + 1);
        for (int i = 0; open.get(); i++) {
            if (i == budget) {
                if (!readQueued) {
                    readQueued = true;
                    try {
                        loop.executeLater(readTask);
                    } catch (RejectedExecutionException e) {
                        // the loop shuts down and closes the socket
                    }
                }
                return;
            }
            DatagramSocketAddress from;
            try {
                from = socket.recvFrom(scratch, 0, cap);
            } catch (IOException e) {
                loop.report(this, e); // an ICMP error from an earlier send, say: the socket goes on
                continue;
            }
            if (from == null) {
                return; // EAGAIN
            }
            int n = from.receivedAmount();
            loop.counters().read(n);
            try {
                if (n > options.maxDatagramBytes()) {
                    handler.onTruncated(face, from, options.maxDatagramBytes());
                } else {
                    handler.onDatagram(face, view(scratch, n), from);
                }
            } catch (Throwable t) {
                loop.report(this, t);
            }
        }
    }

    private ByteBuffer view(ByteBuffer scratch, int n) {
        if (viewOf != scratch) {
            view = scratch.asReadOnlyBuffer();
            viewOf = scratch;
        }
        view.limit(n).position(0);
        return view;
    }

    @Override
    public void send(ByteBuffer data, InetSocketAddress to) {
        java.util.Objects.requireNonNull(to, "to");
        if (to.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address: " + to.getHostString());
        }
        sendTo(data, to);
    }

    @Override
    public void send(ByteBuffer data) {
        if (connected == null) {
            throw new IllegalStateException("the UDP socket is not connected: send(data, to), or connect(peer) first");
        }
        sendTo(data, null);
    }

    private void sendTo(ByteBuffer data, InetSocketAddress to) {
        int n = java.util.Objects.requireNonNull(data, "data").remaining();
        if (n > options.maxDatagramBytes()) {
            throw new IllegalArgumentException("a datagram of " + n + " bytes is larger than the socket's limit of "
                    + options.maxDatagramBytes());
        }
        if (!open.get()) {
            data.position(data.limit());
            dropped.incrementAndGet();
            return;
        }
        if (loop.inLoop() && queue.isEmpty() && outbox.isEmpty()) {
            try {
                if (sendNow(data, to)) {
                    return;
                }
            } catch (IOException e) {
                loop.report(this, e); // a datagram the kernel refused (no route): that one only
                data.position(data.limit());
                return;
            }
        }
        byte[] copy = new byte[n];
        data.get(copy);
        if (queuedBytes.addAndGet(n) > options.queueBytes()) {
            queuedBytes.addAndGet(-n);
            dropped.incrementAndGet();
            return;
        }
        Pending p = new Pending(copy, to);
        if (loop.inLoop()) {
            drainOutbox(); // other threads' datagrams first, in their order
            queue.addLast(p);
            watchWritable(true);
        } else {
            outbox.add(p);
            if (outboxScheduled.compareAndSet(false, true)) {
                try {
                    loop.executeLater(outboxTask);
                } catch (RejectedExecutionException e) {
                    // the loop has shut down and closed the socket
                }
            }
        }
    }

    /** One sendto (through the loop's send scratch for heap bytes); false when the kernel has no room. */
    private boolean sendNow(ByteBuffer data, InetSocketAddress to) throws IOException {
        ByteBuffer b = data;
        int pos = data.position();
        int lim = data.limit();
        if (!data.isDirect()) {
            b = loop.buffers().send();
            b.clear();
            b.put(0, data, pos, lim - pos);
            lim -= pos;
            pos = 0;
        }
        int sent = to == null ? socket.send(b, pos, lim) : socket.sendTo(b, pos, lim, to.getAddress(), to.getPort());
        if (sent <= 0 && lim > pos) {
            return false;
        }
        loop.counters().written(sent);
        data.position(data.limit());
        return true;
    }

    private void drainOutbox() {
        for (Pending p = outbox.poll(); p != null; p = outbox.poll()) {
            if (!open.get()) {
                queuedBytes.addAndGet(-p.bytes.length);
                dropped.incrementAndGet();
            } else {
                queue.addLast(p);
            }
        }
        sendQueued();
    }

    /** Sends what waits, in order, as far as the kernel takes it. Loop only. */
    private void sendQueued() {
        while (!queue.isEmpty() && open.get()) {
            Pending p = queue.peekFirst();
            try {
                if (!sendNow(ByteBuffer.wrap(p.bytes), p.to)) {
                    watchWritable(true);
                    return;
                }
            } catch (IOException e) {
                loop.report(this, e);
            }
            queue.pollFirst();
            queuedBytes.addAndGet(-p.bytes.length);
        }
        watchWritable(false);
    }

    private void watchWritable(boolean on) {
        if (on != watchingWritable && registration != null && open.get()) {
            watchingWritable = on;
            registration.submit(on ? READING_AND_WRITING : READING);
        }
    }

    @Override
    public void connect(InetSocketAddress peer) {
        java.util.Objects.requireNonNull(peer, "peer");
        loop.call(() -> {
            try {
                socket.connect(peer);
                connected = peer;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot connect the UDP socket to " + peer + ": " + e.getMessage(), e);
            }
        });
    }

    @Override
    public void joinGroup(InetAddress group, NetworkInterface ni) {
        membership(group, ni, true);
    }

    @Override
    public void leaveGroup(InetAddress group, NetworkInterface ni) {
        membership(group, ni, false);
    }

    /** IP_ADD_MEMBERSHIP with a struct ip_mreqn, or IPV6_ADD_MEMBERSHIP with a struct ipv6_mreq (setsockopt is thread-safe). */
    private void membership(InetAddress group, NetworkInterface ni, boolean join) {
        java.util.Objects.requireNonNull(group, "group");
        if (!group.isMulticastAddress()) {
            throw new IllegalArgumentException("not a multicast address: " + group);
        }
        int index = ni == null ? 0 : ni.getIndex();
        ByteBuffer req = ByteBuffer.allocateDirect(group instanceof Inet6Address ? 20 : 12).order(java.nio.ByteOrder.nativeOrder());
        req.put(group.getAddress());
        if (group instanceof Inet6Address) {
            req.putInt(16, index);
        } else {
            req.putInt(4, 0); // imr_address: any
            req.putInt(8, index);
        }
        req.clear();
        try {
            if (group instanceof Inet6Address) {
                socket.setRawOpt(IPPROTO_IPV6, join ? IPV6_ADD_MEMBERSHIP : IPV6_DROP_MEMBERSHIP, req);
            } else {
                socket.setRawOpt(IPPROTO_IP, join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP, req);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot " + (join ? "join" : "leave") + " multicast group " + group
                    + (ni != null ? " on " + ni.getName() : "") + ": " + e.getMessage(), e);
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public long droppedDatagrams() {
        return dropped.get();
    }

    @Override
    public boolean isOpen() {
        return open.get();
    }

    @Override
    public void close() {
        loop.call(() -> closeInLoop(null));
    }

    private void closeInLoop(Throwable cause) {
        if (!open.compareAndSet(true, false)) {
            return;
        }
        Loop.cancelQuietly(registration);
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Pending p = queue.poll(); p != null; p = queue.poll()) {
            dropped.incrementAndGet();
        }
        outbox.clear();
        queuedBytes.set(0);
        onClosed.accept(this);
        try {
            handler.onClose(face, cause);
        } catch (Throwable t) {
            loop.report(this, t);
        }
    }

    @Override
    public String toString() {
        return "UDP socket " + local + " on " + loop;
    }
}
