/**
 * The calling thread's CPU affinity through JNA ({@code sched_getaffinity},
 * {@code sched_setaffinity}, {@code sched_getcpu}). Pin from the thread that runs pinned.
 */
package io.torque.topology.affinity;
