/**
 * Benchmarks of torque side by side with Netty epoll and JDK NIO. Under construction; see the
 * project's issues.
 */
package io.torque.bench;
