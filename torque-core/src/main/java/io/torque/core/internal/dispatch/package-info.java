/**
 * The Pareto dispatcher's decision code: {@code Scoreboard} (padded per-loop counters read by
 * neighbours), {@code ParetoFrontier} (the choice of recipient) and {@code HandOffRule} (one
 * round's decision). Internal API.
 *
 * <p>Access modes, as JCTools names them: counters are written with {@code getAndAdd} (xadd,
 * volatile) and read with {@code getOpaque} (lv without ordering: a recent value, possibly
 * stale). Hand-off publishes a source through a JCTools MPSC queue, whose offer is a release
 * store and poll an acquire load, so the recipient sees everything the giver wrote before.
 */
package io.torque.core.internal.dispatch;
