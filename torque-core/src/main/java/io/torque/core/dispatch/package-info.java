/**
 * The Pareto dispatcher: {@link io.torque.core.dispatch.Scoreboard} (padded per-loop counters
 * read by neighbours), {@link io.torque.core.dispatch.ParetoFrontier} (the choice of recipient)
 * and {@link io.torque.core.dispatch.DispatchPolicy}.
 *
 * <p>Access modes, as JCTools names them: counters are written with {@code getAndAdd} (xadd,
 * volatile) and read with {@code getOpaque} (lv without ordering: a recent value, possibly
 * stale). Hand-off publishes a source through a JCTools MPSC queue, whose offer is a release
 * store and poll an acquire load, so the recipient sees everything the giver wrote before.
 */
package io.torque.core.dispatch;
