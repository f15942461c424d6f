package io.torque.core.dns;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Resolves names without blocking a loop: the queries go out from one of torque's loops, the
 * answers of {@link #resolveAll} are cached for their TTLs ({@link #resolve} and
 * {@link #resolveSrv} ask each time: Netty caches no record queries), and the futures complete on
 * that loop (chain with the
 * {@code ...Async} methods to leave it). A name that does not exist fails the future with an
 * {@link java.net.UnknownHostException} whose cause says NXDOMAIN; a server that does not answer,
 * with a {@code DnsNameResolverTimeoutException} (an {@link java.net.UnknownHostException}'s
 * cause) naming the server and the timeout. Any thread may call it. Closed with its context.
 */
public interface Resolver extends AutoCloseable {
    /**
     * The addresses of {@code host}: IPv4 and IPv6 (IPv4 first), from {@code /etc/hosts} or DNS,
     * following CNAMEs and the {@code search} domains.
     *
     * @param host a host name (an address literal resolves to itself)
     * @return the addresses
     */
    CompletableFuture<List<InetAddress>> resolveAll(String host);

    /**
     * The A (IPv4) or AAAA (IPv6) records of {@code host}.
     *
     * @param host a host name
     * @param ipv6 true for AAAA, false for A
     * @return the addresses of that family
     */
    CompletableFuture<List<InetAddress>> resolve(String host, boolean ipv6);

    /**
     * The SRV records of {@code name} ({@code _service._proto.domain}), lowest priority first.
     *
     * @param name the service name
     * @return the records
     */
    CompletableFuture<List<SrvRecord>> resolveSrv(String name);

    /** Stops the resolver (pending queries fail). Idempotent. */
    @Override
    void close();
}
