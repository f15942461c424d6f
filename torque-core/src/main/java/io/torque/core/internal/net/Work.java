package io.torque.core.internal.net;

/**
 * The pending-work bits of a connection ({@link OwnedSource}'s state word above its
 * {@code OWNED} bit): what epoll events, other threads and timers ask the owner to do.
 * {@link TcpConnection#doWork} does them in a fixed order: connect first; then abort; then the
 * outbox (so per-thread write order holds), pause and resume, half-close, close, shutdown and
 * deadline; then flush, read, and only after reading the idle check and the linger's end.
 */
final class Work {
    private Work() {
    }

    /** Readable (or peer shut down): read, within the turn's budget. */
    static final int READ = 1 << 1;
    /** Writable: send the queue. */
    static final int FLUSH = 1 << 2;
    /** Writes from other threads wait in the outbox. */
    static final int OUTBOX = 1 << 3;
    /** close() from another thread. */
    static final int CLOSE = 1 << 4;
    /** abort() from another thread. */
    static final int ABORT = 1 << 5;
    /** The outbound connect may have completed (EPOLLOUT or EPOLLERR while connecting). */
    static final int CONNECT = 1 << 6;
    /** The outbound connect's timeout fired. */
    static final int CONNECT_TIMEOUT = 1 << 7;
    /** Time to check whether the connection has been idle for the idle timeout. */
    static final int IDLE_CHECK = 1 << 8;
    /** The context closes gracefully: answer what has arrived, then close. */
    static final int SHUTDOWN = 1 << 9;
    /** The context's drain deadline passed. */
    static final int DEADLINE = 1 << 10;
    /** The linger after FIN is over. */
    static final int LINGER_END = 1 << 11;
    /** shutdownOutput() from another thread. */
    static final int SHUT_OUTPUT = 1 << 12;
    /** pauseReading() from another thread. */
    static final int PAUSE = 1 << 13;
    /** resumeReading() from another thread. */
    static final int RESUME = 1 << 14;
    /** The context closes at once (closeNow, or its loop shuts down with the connection open). */
    static final int CLOSE_NOW = 1 << 15;
    /** A TLS engine's delegated tasks ran: the handshake goes on. */
    static final int TLS_TASK = 1 << 16;
    /** The TLS handshake timeout fired. */
    static final int TLS_TIMEOUT = 1 << 17;
    /** A connection sending a file may send its next share (FileRegion.BYTES_PER_TURN). */
    static final int FILE_TURN = 1 << 18;
    /** STEAL_EPOLL: leave the home loop's epoll sets, on its thread, for the loop a thief asked for. */
    static final int MOVE_OUT = 1 << 19;
    /** STEAL_EPOLL: join the new home loop's epoll sets, on its thread. */
    static final int MOVE_IN = 1 << 20;
}
