/** Load generators shared by the benchmark commands: closed- and open-loop, every reply checked. */
package io.torque.bench.load;
