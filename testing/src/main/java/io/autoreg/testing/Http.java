package io.autoreg.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * The tests' plain HTTP calls (never the product's own clients), in three shapes the modules used:
 * <ul>
 *   <li>one-line GETs against a child app on loopback: {@link #status(int, String, Duration)}, {@link #body(int, String)};</li>
 *   <li>a JSON client on a base URL with an optional {@code X-Auth-Token} (the registry's API):
 *       {@link #Http(String)}, {@link #get(String)}, {@link #post(String, String)} …, answering a {@link Response};</li>
 *   <li>a consumer of an engine's API on full URLs over OkHttp, with TLS and an {@code Authorization} header when
 *       given: {@link #Http()}, {@link #Http(OkHttpClient, String)}, {@link #getOk(String)}, {@link #getJson(String)},
 *       {@link #postJson(String, JsonNode)}.</li>
 * </ul>
 */
public final class Http {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The loopback one-liners' client: the JDK's default version, 2 s to connect. */
    private static final HttpClient LOOPBACK =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String base;
    private final String authorization;
    private OkHttpClient okHttp;
    private HttpClient client;
    private String token;

    /** A JSON client for the API under {@code base} (HTTP/1.1, 5 s to connect, 70 s per call for long polls). */
    public Http(String base) {
        this.base = base;
        this.authorization = null;
    }

    /** A consumer's client on full URLs: OkHttp with a 5 s call timeout and no retry on connection failure. */
    public Http() {
        this(null, null);
    }

    /** Over another OkHttp client (TLS), sending an {@code Authorization} header when not null. */
    public Http(OkHttpClient client, String authorization) {
        this.base = "";
        this.okHttp = client;
        this.authorization = authorization;
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    // ---- loopback one-liners

    /** The status of {@code GET http://127.0.0.1:port/path}, or -1 when the call fails. */
    public static int status(int port, String path, Duration timeout) {
        try {
            return LOOPBACK.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                    .timeout(timeout)
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The body of {@code GET http://127.0.0.1:port/path} (5 s), whatever the status. */
    public static String body(int port, String path) {
        try {
            return LOOPBACK.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                    .timeout(Duration.ofSeconds(5))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    // ---- a JSON client on a base URL

    /** Sends {@code X-Auth-Token} from now on. */
    public Http token(String token) {
        this.token = token;
        return this;
    }

    /** A response with its body parsed as JSON (null when empty or not JSON). */
    public record Response(int status, JsonNode json, HttpResponse<String> raw) {
        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    public Response get(String path) {
        return send("GET", path, null);
    }

    public Response post(String path, String json) {
        return send("POST", path, json);
    }

    public Response put(String path, String json) {
        return send("PUT", path, json);
    }

    public Response delete(String path) {
        return send("DELETE", path, null);
    }

    public Response send(String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(70));
        if (token != null) {
            b.header("X-Auth-Token", token);
        }
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(
                method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        try {
            HttpResponse<String> r = client().send(b.build(), HttpResponse.BodyHandlers.ofString());
            boolean isJson = r.headers().firstValue("Content-Type").orElse("").startsWith("application/json");
            JsonNode node = r.body().isEmpty() || !isJson ? null : MAPPER.readTree(r.body());
            return new Response(r.statusCode(), node, r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private synchronized HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
        }
        return client;
    }

    // ---- a consumer's calls on full URLs, over OkHttp

    public boolean getOk(String url) {
        try (okhttp3.Response response = okHttp().newCall(request(url).build()).execute()) {
            return response.isSuccessful();
        } catch (IOException notYet) {
            return false;
        }
    }

    /** GET with {@code Accept: application/json}; null on 404. */
    public JsonNode getJson(String url) throws IOException {
        Request request = request(url).header("Accept", "application/json").build();
        try (okhttp3.Response response = okHttp().newCall(request).execute()) {
            if (response.code() == 404) {
                return null;
            }
            if (!response.isSuccessful()) {
                throw new IOException("GET " + url + " -> " + response.code());
            }
            return MAPPER.readTree(response.body().string());
        }
    }

    public JsonNode postJson(String url, JsonNode body) throws IOException {
        Request request = request(url)
                .post(RequestBody.create(MAPPER.writeValueAsBytes(body), MediaType.get("application/json")))
                .build();
        try (okhttp3.Response response = okHttp().newCall(request).execute()) {
            if (!response.isSuccessful()) {
                throw new IOException("POST " + url + " -> " + response.code() + " "
                        + response.body().string());
            }
            return MAPPER.readTree(response.body().string());
        }
    }

    private Request.Builder request(String url) {
        Request.Builder builder = new Request.Builder().url(url);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    private synchronized OkHttpClient okHttp() {
        if (okHttp == null) {
            okHttp = PlainOkHttp.CLIENT;
        }
        return okHttp;
    }

    /** Created on first use only, so the JSON and loopback shapes never start OkHttp's machinery. */
    private static final class PlainOkHttp {
        static final OkHttpClient CLIENT = new OkHttpClient.Builder()
                .callTimeout(Duration.ofSeconds(5))
                .retryOnConnectionFailure(false)
                .build();
    }
}
