/**
 * torque's loop counters as Micrometer meters: {@link io.torque.micrometer.TorqueMetrics}.
 */
package io.torque.micrometer;
