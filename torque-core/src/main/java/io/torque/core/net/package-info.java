/**
 * TCP: {@link io.torque.core.net.Listener}, {@link io.torque.core.net.Connection} and the
 * {@link io.torque.core.net.ConnectionHandler} callbacks with their
 * {@link io.torque.core.net.ReadBuffer}. Implementations ({@code Tcp*}, {@code Connector},
 * {@code RxBuffer}) are internal and reach sockets through Netty's public
 * {@code LinuxSocket} and {@code EpollIoHandle} API only.
 */
package io.torque.core.net;
