/** The implementation of the {@code io.torque.core.fd} sources. Internal API. */
package io.torque.core.internal.fd;
