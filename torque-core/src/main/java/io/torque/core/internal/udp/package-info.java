/** UDP sockets on torque's loops ({@link io.torque.core.internal.udp.UdpSocket}). Internal API. */
package io.torque.core.internal.udp;
