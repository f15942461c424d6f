/**
 * Framing: splitting a connection's input into whole frames (lines, delimited, length-prefixed
 * or fixed-length) on the {@link io.torque.core.net.ReadBuffer} a handler gets, without copying
 * or allocating per frame. See {@link io.torque.core.framing.Framer}.
 */
package io.torque.core.framing;
