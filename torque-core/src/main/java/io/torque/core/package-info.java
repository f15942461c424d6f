/**
 * The torque context ({@link io.torque.core.Torque}): one event loop per processing element,
 * each on its own (pinned) thread with its own epoll fd, serving listeners, connections,
 * timers, signals and raw fds registered through it. Sub-packages hold one source kind each;
 * {@code loop} is internal.
 */
package io.torque.core;
