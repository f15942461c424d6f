/** Raw pollable file descriptors (pipes, eventfds) with readiness callbacks. */
package io.torque.core.fd;
