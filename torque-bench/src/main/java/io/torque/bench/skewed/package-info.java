/** The dispatcher's side-by-side benchmark: PARETO against STATIC under skewed and uniform load. */
package io.torque.bench.skewed;
