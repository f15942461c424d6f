/**
 * {@code torque-http}: HTTP/1.1 plaintext (TechEmpower style) with keep-alive and pipelining, on
 * torque or, for comparison, on Netty with the same parser and responses.
 */
package io.torque.examples.http;
