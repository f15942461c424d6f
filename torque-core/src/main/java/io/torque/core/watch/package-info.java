/**
 * Path watching: {@link io.torque.core.Torque#watch(java.nio.file.Path, PathHandler)} watches a
 * file or a directory with Linux's inotify, its fd on one of torque's loops, and delivers
 * {@link io.torque.core.watch.PathEvent}s to a {@link io.torque.core.watch.PathHandler}.
 */
package io.torque.core.watch;
