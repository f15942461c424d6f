/**
 * {@code bin/torque-sim}: a discrete-event simulator of torque's loops that runs the real
 * dispatch decision ({@code HandOffRule}, {@code ParetoFrontier}, {@code Scoreboard}) on a
 * topology read from a snapshot or synthesized, beside the policies it competes with (STATIC,
 * STEAL_HALF, SHARED). See docs/scale.md.
 */
package io.torque.bench.sim;
