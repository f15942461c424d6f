/** The implementation of the {@code io.torque.core.timer} sources. Internal API. */
package io.torque.core.internal.timer;
