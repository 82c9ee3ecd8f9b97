package io.autoreg.agent.lite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback HTTP server (free port) that records what arrives and answers from a script, for comparing the agent's
 * light clients with the core's: the same calls must reach a server as the same requests. Not a registry: the
 * registries themselves (the project's, etcd, Eureka) read the light clients' requests in the ITs.
 */
final class RecordingServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the server saw of one request: the headers a registry client sets, the body as text. */
    record Seen(
            String method,
            String rawPathAndQuery,
            String host,
            String authorization,
            String token,
            String contentType,
            String body) {}

    private record Reply(int status, String body) {}

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Reply> replies = new ConcurrentLinkedQueue<>();
    private final HttpServer server;
    private final String literal;

    /**
     * @param tokenHeader   the header a client's token travels in ({@code X-Consul-Token}, say), recorded as {@code token}
     * @param defaultStatus the status of an answer nobody scripted (with an empty body)
     */
    RecordingServer(String tokenHeader, int defaultStatus) throws IOException {
        this(tokenHeader, defaultStatus, "127.0.0.1");
    }

    /** On another loopback address, written as a URL's user would write it ({@code ::1}, say). */
    RecordingServer(String tokenHeader, int defaultStatus, String loopbackLiteral) throws IOException {
        this.literal = loopbackLiteral;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(loopbackLiteral), 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                String query = exchange.getRequestURI().getRawQuery();
                seen.add(new Seen(
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getRawPath() + (query == null ? "" : "?" + query),
                        exchange.getRequestHeaders().getFirst("Host"),
                        exchange.getRequestHeaders().getFirst("Authorization"),
                        exchange.getRequestHeaders().getFirst(tokenHeader),
                        exchange.getRequestHeaders().getFirst("Content-Type"),
                        new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
            Reply reply = replies.poll();
            int status = reply == null ? defaultStatus : reply.status();
            byte[] body = (reply == null ? "" : reply.body()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    /** {@code http://[userInfo@]ADDRESS:PORT<path>}, an IPv6 address in brackets. */
    String url(String userInfo, String path) {
        String host = literal.indexOf(':') >= 0 ? "[" + literal + "]" : literal;
        return "http://" + (userInfo == null ? "" : userInfo + "@") + host + ":"
                + server.getAddress().getPort() + path;
    }

    /** The next unscripted request gets this answer. */
    void answerNext(int status, String body) {
        replies.add(new Reply(status, body));
    }

    /** What arrived since the last call, in order. */
    List<Seen> takeSeen() {
        List<Seen> taken = new ArrayList<>(seen);
        seen.clear();
        return taken;
    }

    /** The same requests: method, raw path and query, host, credentials, media type (not its charset), JSON body. */
    static void assertSameRequests(List<Seen> core, List<Seen> lite) throws IOException {
        assertEquals(core.size(), lite.size(), core + "\n" + lite);
        for (int i = 0; i < core.size(); i++) {
            Seen c = core.get(i);
            Seen l = lite.get(i);
            assertEquals(c.method(), l.method());
            assertEquals(c.rawPathAndQuery(), l.rawPathAndQuery());
            assertEquals(c.host(), l.host());
            assertEquals(c.authorization(), l.authorization());
            assertEquals(c.token(), l.token());
            assertEquals(mediaType(c.contentType()), mediaType(l.contentType()));
            if (c.body().isEmpty()) {
                assertEquals("", l.body());
            } else {
                assertEquals(JSON.readTree(c.body()), JSON.readTree(l.body()), l.body());
            }
        }
    }

    /** The media type without its parameters: a charset parameter (UTF-8, JSON's own) may differ between the two. */
    private static String mediaType(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .trim()
                .toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
