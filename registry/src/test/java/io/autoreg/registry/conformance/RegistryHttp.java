package io.autoreg.registry.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A deliberately plain HTTP view of one tenant of a running registry, built on the JDK's client so that
 * the suites test the server independently of our own client library.
 */
public final class RegistryHttp {
    public static final String JSON = "application/json";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private final HttpClient client;
    private final URI root;
    private final String tenant;
    private final String token;

    public RegistryHttp(URI root) {
        this(
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5))
                        .build(),
                root,
                "conformance",
                null);
    }

    private RegistryHttp(HttpClient client, URI root, String tenant, String token) {
        this.client = client;
        this.root = root;
        this.tenant = tenant;
        this.token = token;
    }

    /** The same connection pool, another tenant (and optionally an X-Auth-Token). */
    public RegistryHttp tenant(String newTenant) {
        return new RegistryHttp(client, root, newTenant, token);
    }

    public RegistryHttp token(String newToken) {
        return new RegistryHttp(client, root, tenant, newToken);
    }

    public URI root() {
        return root;
    }

    public String tenantName() {
        return tenant;
    }

    /** {@code /v1.0/{tenant}} followed by {@code tail}. */
    public String path(String tail) {
        return "/v1.0/" + tenant + tail;
    }

    public Answer get(String tail) {
        return send("GET", path(tail), null, null, Map.of());
    }

    public Answer delete(String tail) {
        return send("DELETE", path(tail), null, null, Map.of());
    }

    public Answer post(String tail, String json) {
        return send("POST", path(tail), json, JSON, Map.of());
    }

    public Answer put(String tail, String json) {
        return send("PUT", path(tail), json, JSON, Map.of());
    }

    /** Any method on any absolute path (starting with {@code /}), with an optional body and content type. */
    public Answer send(
            String method, String absolutePath, String body, String contentType, Map<String, String> headers) {
        return send(
                method,
                URI.create(root + absolutePath),
                body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                contentType,
                headers);
    }

    public Answer send(String method, URI uri, byte[] body, String contentType, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(TIMEOUT)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (token != null) {
            request.header("X-Auth-Token", token);
        }
        headers.forEach(request::header);
        return exchange(method + " " + uri, request.build());
    }

    /** Sends an already built request (for bodies of unknown length, that go out chunked). */
    public Answer exchange(String description, HttpRequest request) {
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            Map<String, List<String>> headers = new TreeMap<>();
            response.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
            return new Answer(
                    description, response.statusCode(), headers, new String(response.body(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(description, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + description, e);
        }
    }

    public HttpRequest.Builder requestTo(String absolutePath) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(root + absolutePath)).timeout(TIMEOUT);
        if (token != null) {
            b.header("X-Auth-Token", token);
        }
        return b;
    }

    /** A JSON object from alternating keys and values (values: strings, numbers, lists, maps, null). */
    public static String json(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return write(map);
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
