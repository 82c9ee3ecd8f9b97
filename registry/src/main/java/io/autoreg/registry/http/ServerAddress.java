package io.autoreg.registry.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import io.undertow.util.AttachmentKey;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This server's own absolute base URL ({@code http://127.0.0.1:8870}) as the client reached it: the local
 * address of the connection. With a wildcard bind that is the interface the client used, so the URL
 * works for it, and nothing in it comes from the request.
 */
public final class ServerAddress {
    /** Local addresses are few (one per interface and listener), so their bases are made once. */
    private static final ConcurrentHashMap<InetSocketAddress, String> BASES = new ConcurrentHashMap<>();

    private static final int MAX_CACHED = 256;

    private ServerAddress() {}

    /** The connection's local address, kept on the connection: XNIO makes a new one on every call. */
    private static final AttachmentKey<InetSocketAddress> LOCAL = AttachmentKey.create(InetSocketAddress.class);

    /**
     * The local address the connection reached, or null. Asked on every request (the Host check), so it is
     * looked up once per connection (docs/benchmarks.md, "Heartbeat tail", issue 16, part 2).
     */
    public static InetSocketAddress local(HttpServerExchange exchange) {
        ServerConnection connection = exchange.getConnection();
        InetSocketAddress local = connection.getAttachment(LOCAL);
        if (local == null) {
            local = connection.getLocalAddress(InetSocketAddress.class);
            if (local != null) {
                connection.putAttachment(LOCAL, local);
            }
        }
        return local;
    }

    public static String base(HttpServerExchange exchange) {
        InetSocketAddress local = local(exchange);
        if (local == null) {
            return exchange.getRequestScheme() + "://127.0.0.1";
        }
        String base = BASES.get(local);
        if (base == null) {
            base = exchange.getRequestScheme() + "://" + literal(local.getAddress()) + ":" + local.getPort();
            if (BASES.size() < MAX_CACHED) {
                BASES.putIfAbsent(local, base);
            }
        }
        return base;
    }

    /** An address as a URL host: dotted IPv4, or bracketed IPv6 without its scope. */
    static String literal(InetAddress address) {
        String text = address.getHostAddress();
        if (address instanceof Inet6Address) {
            int scope = text.indexOf('%');
            return "[" + (scope < 0 ? text : text.substring(0, scope)) + "]";
        }
        return text;
    }
}
