/** Example servers built on torque, each a {@code bin/} command. */
package io.torque.examples;
