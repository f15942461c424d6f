package io.torque.core.internal.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import io.netty.channel.epoll.LinuxSocket;
import io.torque.core.net.PeerCredentials;

/** {@code SO_PEERCRED} through Netty's public raw-option call: struct ucred {pid, uid, gid}. */
final class UnixCredentials {
    private static final int SOL_SOCKET = 1;
    private static final int SO_PEERCRED = 17;

    private UnixCredentials() {
    }

    static PeerCredentials of(LinuxSocket socket) throws IOException {
        ByteBuffer ucred = ByteBuffer.allocateDirect(12).order(ByteOrder.nativeOrder()); // once per connection, at its start
        socket.getRawOpt(SOL_SOCKET, SO_PEERCRED, ucred);
        return new PeerCredentials(Integer.toUnsignedLong(ucred.getInt(0)), Integer.toUnsignedLong(ucred.getInt(4)),
                Integer.toUnsignedLong(ucred.getInt(8)));
    }
}
