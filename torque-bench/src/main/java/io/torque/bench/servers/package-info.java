/** The benchmark servers (torque, torque-static, Netty epoll, JDK NIO), one per JVM. */
package io.torque.bench.servers;
