package io.torque.core.internal.udp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.util.List;

import io.torque.core.internal.loop.Loop;
import io.torque.core.udp.DatagramSocket;

/**
 * One UDP port bound by a socket per loop with SO_REUSEPORT: the kernel spreads datagrams over
 * them by sender. Sends go through the calling loop's member (no hop), else the first. Internal
 * API.
 */
public final class UdpGroup implements DatagramSocket {
    private final List<UdpSocket> members;

    /**
     * The group of {@code members}, each of which then shows it to its handler.
     *
     * @param members one bound socket per loop, on the same port
     */
    public UdpGroup(List<UdpSocket> members) {
        this.members = List.copyOf(members);
        for (UdpSocket m : this.members) {
            m.face(this);
        }
    }

    private UdpSocket here() {
        for (UdpSocket m : members) {
            Loop l = m.loop();
            if (l.inLoop()) {
                return m;
            }
        }
        return members.get(0);
    }

    @Override
    public InetSocketAddress localAddress() {
        return members.get(0).localAddress();
    }

    @Override
    public void send(ByteBuffer data, InetSocketAddress to) {
        here().send(data, to);
    }

    @Override
    public void connect(InetSocketAddress peer) {
        for (UdpSocket m : members) {
            m.connect(peer);
        }
    }

    @Override
    public void send(ByteBuffer data) {
        here().send(data);
    }

    @Override
    public void joinGroup(InetAddress group, NetworkInterface ni) {
        for (UdpSocket m : members) {
            m.joinGroup(group, ni);
        }
    }

    @Override
    public void leaveGroup(InetAddress group, NetworkInterface ni) {
        for (UdpSocket m : members) {
            m.leaveGroup(group, ni);
        }
    }

    @Override
    public long droppedDatagrams() {
        return members.stream().mapToLong(UdpSocket::droppedDatagrams).sum();
    }

    @Override
    public boolean isOpen() {
        return members.stream().anyMatch(UdpSocket::isOpen);
    }

    @Override
    public void close() {
        for (UdpSocket m : members) {
            m.close();
        }
    }

    @Override
    public String toString() {
        return "UDP group " + localAddress() + " (" + members.size() + " sockets)";
    }
}
