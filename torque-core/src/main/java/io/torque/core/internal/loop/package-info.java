/**
 * Internal: the per-PE event loop, a Netty {@code ManualIoEventLoop} with an
 * {@code EpollIoHandler} driven by a spin-then-block duty cycle on a thread that pins itself.
 */
package io.torque.core.internal.loop;
