package io.torque.core.dns;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link Resolver} resolves.
 *
 * @param servers the name servers to ask, in order; empty for those of {@code /etc/resolv.conf}
 *     (with its {@code search}, {@code ndots} and {@code timeout} options)
 * @param queryTimeout how long to wait for one server's answer before the next (and, for the
 *     last, failing)
 * @param useHostsFile whether {@code /etc/hosts} answers first
 */
public record DnsOptions(List<InetSocketAddress> servers, Duration queryTimeout, boolean useHostsFile) {
    /** /etc/resolv.conf's servers, 5 s per query, /etc/hosts first. */
    public static final DnsOptions DEFAULT = new DnsOptions(List.of(), Duration.ofSeconds(5), true);

    /**
     * Checks and copies.
     *
     * @param servers see {@link #servers()}
     * @param queryTimeout see {@link #queryTimeout()}
     * @param useHostsFile see {@link #useHostsFile()}
     * @throws IllegalArgumentException if the timeout is not positive or a server unresolved
     * @throws NullPointerException if an argument is null
     */
    public DnsOptions {
        servers = List.copyOf(servers);
        Objects.requireNonNull(queryTimeout, "queryTimeout");
        if (queryTimeout.isZero() || queryTimeout.isNegative()) {
            throw new IllegalArgumentException("the query timeout must be positive: " + queryTimeout);
        }
        for (InetSocketAddress s : servers) {
            if (s.isUnresolved()) {
                throw new IllegalArgumentException("a name server must be an address: " + s);
            }
        }
    }

    /**
     * These options with explicit name servers.
     *
     * @param servers the servers, in order
     * @return new options
     */
    public DnsOptions withServers(InetSocketAddress... servers) {
        return new DnsOptions(List.of(servers), queryTimeout, useHostsFile);
    }

    /**
     * These options with another query timeout.
     *
     * @param timeout positive
     * @return new options
     */
    public DnsOptions withQueryTimeout(Duration timeout) {
        return new DnsOptions(servers, timeout, useHostsFile);
    }
}
