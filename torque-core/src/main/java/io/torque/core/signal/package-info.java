/** Process signals (HUP, USR1, ...) delivered to a loop as callbacks. */
package io.torque.core.signal;
