/** The side-by-side harness: servers in their own JVMs, one load generator, tables and JSON. */
package io.torque.bench.harness;
