package io.torque.core.internal.loop;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * libc's epoll calls, JNA's direct mapping (primitive arguments only: nothing is allocated per
 * call). Netty keeps its own epoll calls internal ({@code io.netty.channel.epoll.Native} says
 * "internal usage only", and its event array cannot be made outside its package), so a second
 * epoll set of torque's own goes through JNA, torque's native access.
 */
final class EpollCalls {
    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    static final int EPOLL_CLOEXEC = 02000000;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLL_CTL_DEL = 2;
    static final int EPOLLIN = 0x001;
    static final int EPOLLERR = 0x008;
    static final int EPOLLHUP = 0x010;
    static final int EPOLLRDHUP = 0x2000;
    static final int EPOLLET = 1 << 31;

    /**
     * {@code struct epoll_event}: packed on x86-64 (12 bytes, the data at offset 4), naturally
     * aligned elsewhere (16 bytes, the data at offset 8); glibc's {@code __EPOLL_PACKED}.
     */
    static final boolean PACKED = Platform.isIntel() && Platform.is64Bit();
    static final int EVENT_SIZE = PACKED ? 12 : 16;
    static final int DATA_OFFSET = PACKED ? 4 : 8;

    private EpollCalls() {
    }

    static native int epoll_create1(int flags) throws LastErrorException;

    /** {@code event} is the address of one {@code struct epoll_event}. */
    static native int epoll_ctl(int epfd, int op, int fd, long event) throws LastErrorException;

    /** {@code events} is the address of {@code maxevents} {@code struct epoll_event}s. */
    static native int epoll_wait(int epfd, long events, int maxevents, int timeout) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;
}
