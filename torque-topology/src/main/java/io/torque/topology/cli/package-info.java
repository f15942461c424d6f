/** The {@code archdetect} command: the detected topology as text or JSON. */
package io.torque.topology.cli;
