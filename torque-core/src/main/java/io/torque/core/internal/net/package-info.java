/**
 * TCP sources: {@code TcpListener}, {@code TcpConnection} (its ownership protocol in
 * {@code OwnedSource}, its read side, write side and close state machine in their own classes),
 * {@code Connector} and {@code RxBuffer}. Sockets are reached through Netty's public
 * {@code LinuxSocket} and {@code EpollIoHandle} API only. Internal API.
 */
package io.torque.core.internal.net;
