/** The implementation of the {@code io.torque.core.signal} sources. Internal API. */
package io.torque.core.internal.signal;
