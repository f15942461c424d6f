/** The benchmark servers (torque under PARETO, STATIC and STEAL, Netty epoll and io_uring, virtual threads, JDK NIO), one per JVM. */
package io.torque.bench.servers;
