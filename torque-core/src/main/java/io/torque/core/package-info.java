/**
 * The torque context ({@link io.torque.core.Torque}, built by
 * {@link io.torque.core.TorqueBuilder}): one event loop per processing element, each on its own
 * (pinned) thread with its own epoll fd, serving listeners, connections, timers, signals and raw
 * fds registered through it. Sub-packages hold one source kind each; everything under
 * {@code io.torque.core.internal} is implementation, not API, and may change without notice.
 */
package io.torque.core;
