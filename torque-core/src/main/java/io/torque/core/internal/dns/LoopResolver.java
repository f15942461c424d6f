package io.torque.core.internal.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import io.netty.buffer.ByteBuf;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.resolver.HostsFileEntriesResolver;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DefaultDnsCache;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.torque.core.dns.DnsOptions;
import io.torque.core.dns.Resolver;
import io.torque.core.dns.SrvRecord;
import io.torque.core.internal.loop.Loop;

/**
 * A {@link Resolver} on Netty's {@link DnsNameResolver}, whose UDP (and, for truncated answers,
 * TCP) channels live on one of torque's loops: the queries, the cache (TTLs honoured) and the
 * answers are that loop's work, and nothing blocks. Netty's resolver reads
 * {@code /etc/resolv.conf} and {@code /etc/hosts} itself. Internal API.
 */
public final class LoopResolver implements Resolver {
    private final DnsNameResolver resolver;
    private final Loop loop;
    private final java.util.function.Consumer<Object> onClosed;
    private final java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean(true);

    /**
     * A resolver on {@code loop}.
     *
     * @param loop the loop its channels live on
     * @param options servers, timeout, hosts file
     * @param onClosed runs once when it closes, with it
     */
    public LoopResolver(Loop loop, DnsOptions options, java.util.function.Consumer<Object> onClosed) {
        this.loop = loop;
        this.onClosed = onClosed;
        DnsNameResolverBuilder b = new DnsNameResolverBuilder(loop.netty())
                .datagramChannelType(EpollDatagramChannel.class)
                .socketChannelType(EpollSocketChannel.class)
                .queryTimeoutMillis(options.queryTimeout().toMillis())
                .resolveCache(new DefaultDnsCache())
                .resolvedAddressTypes(ResolvedAddressTypes.IPV4_PREFERRED)
                .hostsFileEntriesResolver(options.useHostsFile() ? HostsFileEntriesResolver.DEFAULT : (name, types) -> null)
                .nameServerProvider(options.servers().isEmpty() ? DnsServerAddressStreamProviders.platformDefault()
                        : new SequentialDnsServerAddressStreamProvider(options.servers()));
        this.resolver = b.build();
    }

    private static <T, R> CompletableFuture<R> adapt(Future<T> f, Function<T, R> map, String name) {
        CompletableFuture<R> out = new CompletableFuture<>();
        f.addListener(x -> {
            if (x.isSuccess()) {
                try {
                    @SuppressWarnings("unchecked")
                    T value = (T) x.getNow();
                    out.complete(map.apply(value));
                } catch (RuntimeException e) {
                    out.completeExceptionally(e);
                }
            } else {
                Throwable cause = x.cause();
                if (cause instanceof UnknownHostException) {
                    out.completeExceptionally(cause);
                } else {
                    UnknownHostException u = new UnknownHostException("cannot resolve " + name + ": " + cause.getMessage());
                    u.initCause(cause);
                    out.completeExceptionally(u);
                }
            }
        });
        return out;
    }

    @Override
    public CompletableFuture<List<InetAddress>> resolveAll(String host) {
        return adapt(resolver.resolveAll(java.util.Objects.requireNonNull(host, "host")), List::copyOf, host);
    }

    @Override
    public CompletableFuture<List<InetAddress>> resolve(String host, boolean ipv6) {
        DnsRecordType type = ipv6 ? DnsRecordType.AAAA : DnsRecordType.A;
        return adapt(resolver.resolveAll(new DefaultDnsQuestion(java.util.Objects.requireNonNull(host, "host"), type)),
                records -> addresses(host, records), host);
    }

    private static List<InetAddress> addresses(String host, List<DnsRecord> records) {
        List<InetAddress> out = new ArrayList<>();
        try {
            for (DnsRecord r : records) {
                if (r instanceof DnsRawRecord raw && (raw.type() == DnsRecordType.A || raw.type() == DnsRecordType.AAAA)) {
                    ByteBuf c = raw.content();
                    byte[] bytes = new byte[c.readableBytes()];
                    c.getBytes(c.readerIndex(), bytes);
                    out.add(InetAddress.getByAddress(host, bytes));
                }
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a malformed address record for " + host, e);
        } finally {
            records.forEach(ReferenceCountUtil::release);
        }
        return List.copyOf(out);
    }

    @Override
    public CompletableFuture<List<SrvRecord>> resolveSrv(String name) {
        return adapt(resolver.resolveAll(new DefaultDnsQuestion(java.util.Objects.requireNonNull(name, "name"), DnsRecordType.SRV)),
                LoopResolver::srv, name);
    }

    private static List<SrvRecord> srv(List<DnsRecord> records) {
        List<SrvRecord> out = new ArrayList<>();
        try {
            for (DnsRecord r : records) {
                if (r instanceof DnsRawRecord raw && raw.type() == DnsRecordType.SRV) {
                    ByteBuf c = raw.content().duplicate();
                    int priority = c.readUnsignedShort();
                    int weight = c.readUnsignedShort();
                    int port = c.readUnsignedShort();
                    String target = DefaultDnsRecordDecoder.decodeName(c); // RFC 2782: never compressed
                    out.add(new SrvRecord(priority, weight, port, target.endsWith(".") ? target.substring(0, target.length() - 1)
                            : target, raw.timeToLive()));
                }
            }
        } finally {
            records.forEach(ReferenceCountUtil::release);
        }
        out.sort(Comparator.comparingInt(SrvRecord::priority).thenComparing(Comparator.comparingInt(SrvRecord::weight).reversed()));
        return List.copyOf(out);
    }

    @Override
    public void close() {
        if (open.compareAndSet(true, false)) {
            loop.call(resolver::close);
            onClosed.accept(this);
        }
    }
}
