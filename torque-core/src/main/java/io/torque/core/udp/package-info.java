/**
 * UDP: {@link io.torque.core.udp.DatagramSocket}s bound with
 * {@link io.torque.core.Torque#bind(java.net.InetSocketAddress, DatagramOptions, DatagramHandler)},
 * whose {@link io.torque.core.udp.DatagramHandler} gets each datagram once, on the socket's loop.
 */
package io.torque.core.udp;
