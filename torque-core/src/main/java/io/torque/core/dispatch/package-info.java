/**
 * How loops share work: {@link io.torque.core.dispatch.DispatchPolicy} (STATIC or PARETO),
 * {@link io.torque.core.dispatch.Placement} (where new sources are homed) and
 * {@link io.torque.core.dispatch.LoopStats} (each loop's counters). The dispatcher itself lives
 * in {@code io.torque.core.internal.dispatch}; docs/dispatch.md explains the rule.
 */
package io.torque.core.dispatch;
