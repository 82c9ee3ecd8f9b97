package io.autoreg.registry.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.util.Deque;
import java.util.List;

/** One API request as routes see it: method, tenant, remaining path segments, query and parsed body. */
public final class Call {
    private final HttpServerExchange exchange;
    private final String tenant;
    private final List<String> segments;
    private final String path;
    private final int rawFrom;
    private String rawPath;
    private JsonNode body;
    private byte[] rawBody;
    private java.util.Map<String, Deque<String>> query;

    public Call(HttpServerExchange exchange, String tenant, List<String> segments, String rawPath) {
        this(exchange, tenant, segments, rawPath, 0);
    }

    /** {@link #rawPath()} is {@code path} from {@code rawFrom}, cut only when a route asks for it. */
    Call(HttpServerExchange exchange, String tenant, List<String> segments, String path, int rawFrom) {
        this.exchange = exchange;
        this.tenant = tenant;
        this.segments = segments;
        this.path = path;
        this.rawFrom = rawFrom;
    }

    public HttpServerExchange exchange() {
        return exchange;
    }

    public HttpString method() {
        return exchange.getRequestMethod();
    }

    public String tenant() {
        return tenant;
    }

    /** The 405 fault for this call's method, for a route that does not serve it. */
    public ApiError methodNotAllowed() {
        return ApiError.methodNotAllowed(method().toString());
    }

    /**
     * For a route that is a read-only collection with nothing below it ({@code /events}, {@code /limits}):
     * a deeper path is an unknown page (404), any method but GET a 405.
     */
    public void requireGetOfCollection() {
        if (segments.size() != 1) {
            throw ApiError.pageNotFound();
        }
        if (!method().equals(Methods.GET)) {
            throw methodNotAllowed();
        }
    }
    /** Path segments after the tenant (or after the dialect prefix). */
    public List<String> segments() {
        return segments;
    }
    /** The decoded path after the tenant's resource name, for configuration ids that contain '/'. */
    public String rawPath() {
        if (rawPath == null) {
            rawPath = path.substring(rawFrom);
        }
        return rawPath;
    }

    /** The parsed JSON body; a missing or unparseable body is a 400. */
    public JsonNode body() {
        if (body == null) {
            if (rawBody == null || rawBody.length == 0) {
                throw ApiError.badRequest("Invalid JSON", "The request body is empty");
            }
            body = Json.parseBody(rawBody);
        }
        return body;
    }

    void rawBody(byte[] bytes) {
        this.rawBody = bytes;
    }

    /**
     * The value of a body that is exactly {@code {"<field>":"<plain ASCII string>"}} (the shape of every
     * heartbeat), read without building a tree; null for any other body (then use {@link #body()}).
     */
    public String onlyStringField(String field) {
        long range = onlyStringFieldRange(field);
        return range < 0
                ? null
                : new String(
                        rawBody,
                        (int) (range >>> 32),
                        (int) range - (int) (range >>> 32),
                        java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** The raw request body (null before it is read); read it, never change it. */
    public byte[] rawBody() {
        return rawBody;
    }

    /**
     * As {@link #onlyStringField}, but where the value lies in {@link #rawBody()}: {@code from << 32 | to},
     * or -1. A heartbeat's token is then read in place (docs/benchmarks.md, "Heartbeat tail", issue 16, part 2).
     */
    public long onlyStringFieldRange(String field) {
        byte[] b = rawBody;
        if (b == null) {
            return -1;
        }
        int start = 0;
        int end = b.length;
        while (start < end && b[start] <= ' ') {
            start++;
        }
        while (end > start && b[end - 1] <= ' ') {
            end--;
        }
        int prefix = field.length() + 6; // {"field":"
        if (end - start < prefix + 2
                || b[start] != '{'
                || b[start + 1] != '"'
                || b[end - 1] != '}'
                || b[end - 2] != '"') {
            return -1;
        }
        for (int i = 0; i < field.length(); i++) {
            if (b[start + 2 + i] != field.charAt(i)) {
                return -1;
            }
        }
        int p = start + 2 + field.length();
        if (b[p] != '"' || b[p + 1] != ':' || b[p + 2] != '"') {
            return -1;
        }
        int valueStart = p + 3;
        int valueEnd = end - 2;
        for (int i = valueStart; i < valueEnd; i++) {
            byte c = b[i];
            if (c == '"' || c == '\\' || c < ' ') {
                return -1;
            }
        }
        return (long) valueStart << 32 | valueEnd;
    }

    public String query(String name) {
        Deque<String> values = queryParameters().get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    /** The decoded query parameters (Undertow's own decoding is off, see {@link UrlDecoding}). */
    public java.util.Map<String, Deque<String>> queryParameters() {
        if (query == null) {
            query = UrlDecoding.query(exchange.getQueryString());
        }
        return query;
    }

    /**
     * Lets the exchange drop the request line's strings (the query string, the URI and its paths) for a request held
     * open for seconds, a parked long poll: each one kept alive is promoted by every young collection meanwhile
     * (docs/benchmarks.md, "Watchers"). The query parameters are read first, so this call still answers them.
     */
    public void shedRequestLine() {
        queryParameters();
        exchange.setQueryString("");
        exchange.setRequestURI("");
        exchange.setRequestPath("");
        exchange.setRelativePath("");
    }

    /**
     * The absolute base of this server for Location and next_href: the address the connection reached,
     * never the request's Host header (which a rebinding page or a proxy's client chooses).
     */
    public String base() {
        return ServerAddress.base(exchange);
    }

    public String tenantBase() {
        return base() + "/v1.0/" + tenant;
    }
}
