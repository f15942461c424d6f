/** Benchmarks of torque: the side-by-side harness, the example servers, JMH microbenchmarks. */
package io.torque.bench;
