package io.torque.core.dns;

/**
 * A service record (RFC 2782).
 *
 * @param priority lower first
 * @param weight relative weight among records of one priority
 * @param port the service's port
 * @param target the host name that serves it
 * @param ttlSeconds how long the answer may be cached
 */
public record SrvRecord(int priority, int weight, int port, String target, long ttlSeconds) {
}
