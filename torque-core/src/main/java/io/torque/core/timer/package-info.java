/** One-shot and fixed-rate timers on a loop's clock. */
package io.torque.core.timer;
