/**
 * {@code torque-resp}: a small Redis-protocol (RESP2) server on torque: PING, ECHO, SET, GET, DEL,
 * INCR, EXISTS (plus COMMAND and QUIT for redis-cli), pipelined, one map shared by all loops.
 */
package io.torque.examples.resp;
