/** JMH microbenchmarks of the dispatcher's parts; run with bin/torque-jmh. */
package io.torque.bench.jmh;
