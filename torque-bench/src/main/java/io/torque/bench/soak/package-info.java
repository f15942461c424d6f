/** {@code bin/torque-soak}: the chaos mix for minutes against one long-lived server, watching for growth. */
package io.torque.bench.soak;
