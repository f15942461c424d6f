/** JFR events: hand-offs between loops and slow turns, for {@code jcmd PID JFR.start}. */
package io.torque.core.internal.jfr;
