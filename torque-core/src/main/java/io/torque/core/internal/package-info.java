/**
 * torque-core's implementation, not API: these types are public only so that torque's own
 * packages (and its benchmarks) can reach them; they are left out of the javadoc and may change
 * in any release.
 */
package io.torque.core.internal;
