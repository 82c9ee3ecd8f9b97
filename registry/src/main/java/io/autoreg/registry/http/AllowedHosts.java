package io.autoreg.registry.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Host check of an open server (no users, no tokens), against DNS rebinding: a web page on
 * {@code attacker.example} re-points its name at 127.0.0.1, and the browser then lets it read and write
 * the registry as if it were its own origin — but it still sends {@code Host: attacker.example}. So an
 * open server answers only Host names an attacker cannot control: {@code localhost}, IPv4 loopback
 * literals (127.0.0.0/8), {@code [::1]}, an address literal equal to the address the connection reached
 * (the bind address, or with a wildcard bind the interface used), the bind setting itself, and the
 * names an operator lists in {@code autoreg.server.allowed-hosts}. The port is not compared: a
 * rebinding page controls it no more than a proxy in front does. Everything else is 421.
 *
 * <p>With users or tokens configured the check is off: a rebinding page has no token to send.
 */
public final class AllowedHosts {
    private static final int MAX_REMEMBERED = 64;
    private final boolean enforced;
    private final Set<String> names;
    /**
     * Host values already accepted, with the local address they came in on: a fleet sends a handful of
     * distinct values, so a heartbeat's check is one lookup. Refused values are never kept.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, InetSocketAddress> accepted =
            new java.util.concurrent.ConcurrentHashMap<>();

    public AllowedHosts(boolean open, String bind, List<String> allowedHosts) {
        this.enforced = open;
        // A wildcard bind is not a name of the server: a page aiming at http://0.0.0.0:port is refused too.
        boolean wildcard = bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]") || bind.isEmpty();
        this.names = java.util.stream.Stream.concat(
                        wildcard
                                ? java.util.stream.Stream.empty()
                                : java.util.stream.Stream.of(
                                        bind.contains(":") && !bind.startsWith("[") ? "[" + bind + "]" : bind),
                        allowedHosts.stream())
                .map(AllowedHosts::normalise)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Throws 421 unless this exchange's Host may reach the server (always, when not enforced). */
    public void check(HttpServerExchange exchange) {
        if (!enforced) {
            return;
        }
        // HTTP/1.1 without Host is refused by Undertow already; a browser always sends one, so an
        // HTTP/1.0 request without it comes from a tool, not from a page.
        String header = exchange.getRequestHeaders().getFirst(Headers.HOST);
        if (header == null) {
            return;
        }
        InetSocketAddress local = ServerAddress.local(exchange);
        InetSocketAddress acceptedOn = accepted.get(header);
        if (acceptedOn != null && acceptedOn.equals(local)) {
            return;
        }
        if (!allowed(header, local)) {
            throw ApiError.misdirected(header);
        }
        if (local != null && accepted.size() < MAX_REMEMBERED) {
            accepted.put(header, local);
        }
    }

    boolean allowed(String hostHeader, InetSocketAddress local) {
        String host = normalise(withoutPort(hostHeader));
        if (host.isEmpty()) {
            return false;
        }
        if (host.equals("localhost") || names.contains(host) || isIpv4Loopback(host) || host.equals("[::1]")) {
            return true;
        }
        return local != null && isLiteralOf(host, local.getAddress());
    }

    /** {@code name:port}, {@code [v6]:port}, or without the port. */
    static String withoutPort(String host) {
        String h = host.trim();
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            return close < 0 ? "" : h.substring(0, close + 1);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    /** Lower case, one trailing dot dropped ({@code localhost.} is {@code localhost}). */
    static String normalise(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    /** Exactly four decimal parts 0..255, the first 127 (no shorthand, no octal, no hex). */
    static boolean isIpv4Loopback(String host) {
        int[] parts = ipv4(host);
        return parts != null && parts[0] == 127;
    }

    private static int[] ipv4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        int[] out = new int[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
                return null;
            }
            for (int j = 0; j < p.length(); j++) {
                if (p.charAt(j) < '0' || p.charAt(j) > '9') {
                    return null;
                }
            }
            out[i] = Integer.parseInt(p);
            if (out[i] > 255) {
                return null;
            }
        }
        return out;
    }

    /** True if {@code host} is an address literal (never a name: no lookup happens) equal to {@code address}. */
    private static boolean isLiteralOf(String host, InetAddress address) {
        try {
            if (host.startsWith("[") && host.endsWith("]")) {
                String v6 = host.substring(1, host.length() - 1);
                return v6.indexOf(':') >= 0
                        && v6.indexOf('%') < 0
                        && InetAddress.getByName(v6).equals(address);
            }
            int[] v4 = ipv4(host);
            return v4 != null
                    && InetAddress.getByAddress(new byte[] {(byte) v4[0], (byte) v4[1], (byte) v4[2], (byte) v4[3]})
                            .equals(address);
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
