package io.autoreg.core.internal.backend.http;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autoreg.core.internal.lifecycle.RefusedException;
import io.autoreg.core.internal.log.Log;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import okhttp3.Credentials;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * What the HTTP backends (Consul, Eureka, Registro, etcd's JSON gateway) share: one base URL, the headers
 * every call carries (a token), JSON bodies through one Jackson mapper, and one mapping of failures that
 * the lifecycle acts on (docs/architecture.md):
 * <ul>
 *   <li>no answer (refused connection, timeout, reset) stays the {@link IOException} OkHttp throws, and a
 *       5xx or an answer that is not the JSON expected is a plain {@link IOException}: the lifecycle retries
 *       it with backoff;</li>
 *   <li>a 4xx that no retry gets past is a {@link RefusedException}: the lifecycle says so in one error line
 *       and retries slowly. Which 4xx those are is the backend's API's to say ({@link Builder#refusal});
 *       by default every 4xx but 404, 408 and 429 ({@link RefusedException#isRefusal}).</li>
 * </ul>
 * Answers are read whole and closed at once (they are small), so callers hold no open response.
 * Thread-safe; it adds no connections or threads of its own to the client it is given.
 *
 * <p>A backend of several servers (etcd's members, Eureka's {@code defaultZone} list) is given their base URLs in
 * order: a call goes to the one that answered last, and one that does not answer, or answers 5xx, sends the same
 * call to the next, as etcd's and Eureka's own clients fail over. The first that answers otherwise is kept for the
 * calls after it (one warning line names the switch); when none does, the call fails as with one server.
 */
public final class JsonHttp {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final MediaType JSON = MediaType.get("application/json");
    private static final byte[] NO_BYTES = new byte[0];
    /** The default: what {@link RefusedException#isRefusal} calls a refusal. */
    public static final Predicate<Answer> LASTING_4XX = answer -> RefusedException.isRefusal(answer.code(), null);

    private final String backend;
    private final List<Endpoint> endpoints;
    /** Index in {@link #endpoints} of the server that answered last: calls start there. */
    private final AtomicInteger current = new AtomicInteger();

    private final OkHttpClient http;
    private final Headers headers;
    private final Predicate<Answer> refusal;

    private JsonHttp(Builder builder) {
        this.backend = builder.backend;
        this.endpoints = List.copyOf(builder.endpoints);
        this.http = builder.http;
        this.headers = builder.headers.build();
        this.refusal = builder.refusal;
    }

    /**
     * @param backend the name failures start with ({@code "consul"}: "consul register x answered 400: …")
     * @param baseUrl one server's base URL; paths are added below it, and its {@code user:password@}, if
     *                any, becomes every call's basic {@code Authorization}
     * @param http    the client to call through ({@link io.autoreg.core.internal.http.HttpClients#forRegistry})
     */
    public static Builder builder(String backend, String baseUrl, OkHttpClient http) {
        return builder(backend, List.of(baseUrl), http);
    }

    /**
     * Several servers of one backend, in the order they are tried ({@code RegistrySettings.urls()}); each URL's
     * {@code user:password@}, if any, is sent to that server only.
     */
    public static Builder builder(String backend, List<String> baseUrls, OkHttpClient http) {
        if (baseUrls.isEmpty()) {
            throw new IllegalArgumentException("no base URL for " + backend);
        }
        List<Endpoint> endpoints = new ArrayList<>();
        for (String baseUrl : baseUrls) {
            endpoints.add(Endpoint.of(HttpUrl.get(baseUrl)));
        }
        return new Builder(backend, endpoints, http);
    }

    /** A new empty JSON object to fill in. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** A JSON tree as text. */
    public static String text(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            // A tree of our own making always serializes.
            throw new IllegalStateException(e);
        }
    }

    /** The base URL (of the server that answered last), to add path segments and query parameters to. */
    public HttpUrl.Builder url() {
        return endpoints.get(current.get()).base().newBuilder();
    }

    /**
     * The base URL and {@code path} below it ({@code "v1/agent/service/register"}), split at each '/': exact
     * for ids, which are {@code [a-zA-Z0-9_.-]}; a value that may hold a '/' goes through {@link #url()}
     * and {@code addPathSegment}.
     */
    public HttpUrl url(String path) {
        return url().addPathSegments(path).build();
    }

    public Answer get(HttpUrl url) throws IOException {
        return send("GET", url, null, Headers.of());
    }

    public Answer post(HttpUrl url, JsonNode body) throws IOException {
        return send("POST", url, body, Headers.of());
    }

    /** A PUT with the JSON body, or with an empty one (no content type) when {@code body} is null. */
    public Answer put(HttpUrl url, JsonNode body) throws IOException {
        return send("PUT", url, body, Headers.of());
    }

    public Answer delete(HttpUrl url) throws IOException {
        return send("DELETE", url, null, Headers.of());
    }

    /**
     * One call with the common headers and {@code extra} ones (a token that changes, as etcd's).
     *
     * @param body the JSON body, or null: none for GET and DELETE, an empty one for POST and PUT
     * @throws IOException when no answer came (OkHttp's own exception; with several servers, one naming what each
     *                     did, the first's as its cause): retryable
     */
    public Answer send(String method, HttpUrl url, JsonNode body, Headers extra) throws IOException {
        int from = endpointOf(url);
        if (endpoints.size() == 1 || from < 0) {
            return call(method, url, from < 0 ? null : endpoints.get(from), body, extra);
        }
        Answer serverError = null;
        List<String> failures = new ArrayList<>();
        IOException noAnswer = null;
        for (int tried = 0; tried < endpoints.size(); tried++) {
            int index = (from + tried) % endpoints.size();
            Endpoint endpoint = endpoints.get(index);
            HttpUrl target = tried == 0 ? url : endpoints.get(from).rebase(url, endpoint);
            try {
                Answer answer = call(method, target, endpoint, body, extra);
                if (answer.code() < 500) {
                    keep(from, index, failures);
                    return answer;
                }
                serverError = answer;
                failures.add(endpoint.shown() + " answered " + answer.code());
            } catch (IOException e) {
                if (noAnswer == null) {
                    noAnswer = e;
                } else {
                    noAnswer.addSuppressed(e);
                }
                failures.add(endpoint.shown() + " did not answer ("
                        + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
            }
        }
        if (serverError != null) {
            return serverError;
        }
        throw new IOException(
                backend + ": no server answered " + method + " " + url.encodedPath() + ": "
                        + String.join("; ", failures),
                noAnswer);
    }

    /** The server that answered becomes the one calls start at; a switch away from another is one warning. */
    private void keep(int from, int answered, List<String> failures) {
        if (answered != from && current.compareAndSet(from, answered)) {
            Log.warn(backend + ": " + String.join("; ", failures) + ": now calling "
                    + endpoints.get(answered).shown());
        }
    }

    /** Index of the server whose base URL {@code url} is below, or -1 (a URL from elsewhere, called as it is). */
    private int endpointOf(HttpUrl url) {
        for (int i = 0; i < endpoints.size(); i++) {
            if (endpoints.get(i).isBaseOf(url)) {
                return i;
            }
        }
        return -1;
    }

    private Answer call(String method, HttpUrl url, Endpoint endpoint, JsonNode body, Headers extra)
            throws IOException {
        RequestBody requestBody = body != null
                ? RequestBody.create(MAPPER.writeValueAsBytes(body), JSON)
                : "POST".equals(method) || "PUT".equals(method) ? RequestBody.create(NO_BYTES, null) : null;
        Headers.Builder all = headers.newBuilder();
        if (endpoint != null && endpoint.authorization() != null) {
            all.set("Authorization", endpoint.authorization());
        }
        for (String name : extra.names()) {
            all.removeAll(name); // a call's own header wins (etcd's token over nothing, not beside it)
        }
        Request request = new Request.Builder()
                .url(url)
                .headers(all.addAll(extra).build())
                .method(method, requestBody)
                .build();
        try (Response response = http.newCall(request).execute()) {
            ResponseBody responseBody = response.body();
            return new Answer(
                    this,
                    method + " " + url.encodedPath(),
                    response.code(),
                    responseBody == null ? "" : responseBody.string());
        }
    }

    /**
     * One server: its base URL without user info, and the basic {@code Authorization} that user info stood for.
     * OkHttp sends nothing for a URL's user info; Eureka's and Consul's clients send it as basic auth on every call
     * (a Spring Cloud {@code defaultZone}, {@code CONSUL_HTTP_AUTH}).
     */
    private record Endpoint(HttpUrl base, String authorization) {

        static Endpoint of(HttpUrl url) {
            boolean credentials = !url.username().isEmpty() || !url.password().isEmpty();
            return new Endpoint(
                    url.newBuilder().username("").password("").build(),
                    credentials ? Credentials.basic(url.username(), url.password(), UTF_8) : null);
        }

        boolean isBaseOf(HttpUrl url) {
            return url.scheme().equals(base.scheme())
                    && url.host().equals(base.host())
                    && url.port() == base.port()
                    && (url.encodedPath().startsWith(basePath())
                            || url.encodedPath().equals(base.encodedPath()));
        }

        /** The same call on {@code other}: what {@code url} has below this base, below other's. */
        HttpUrl rebase(HttpUrl url, Endpoint other) {
            String path = url.encodedPath();
            String below = path.length() <= basePath().length()
                    ? ""
                    : path.substring(basePath().length());
            HttpUrl.Builder builder = other.base().newBuilder();
            if (!below.isEmpty()) {
                builder.addEncodedPathSegments(below);
            }
            return builder.encodedQuery(url.encodedQuery()).build();
        }

        /** The base's path ending in '/', so that /eureka is not taken as the base of /eurekas. */
        private String basePath() {
            String path = base.encodedPath();
            return path.endsWith("/") ? path : path + "/";
        }

        /** scheme://host:port/path, as messages name a server. */
        String shown() {
            return base.toString();
        }
    }

    /**
     * A whole answer: its status and body text. {@link #expect} and {@link #failure} turn it into the
     * exception the lifecycle expects.
     */
    public static final class Answer {
        private final JsonHttp owner;
        /** Method and path, to name the call where the answer does not fit it. */
        private final String call;

        private final int code;
        private final String body;

        Answer(JsonHttp owner, String call, int code, String body) {
            this.owner = owner;
            this.call = call;
            this.code = code;
            this.body = body;
        }

        public int code() {
            return code;
        }

        public String body() {
            return body;
        }

        /** 2xx. */
        public boolean ok() {
            return code >= 200 && code < 300;
        }

        /** This answer if it is a 2xx, else its {@link #failure}. */
        public Answer expect(String what) throws IOException {
            if (!ok()) {
                throw failure(what);
            }
            return this;
        }

        /**
         * The body as JSON; an empty body is an empty object (etcd's gateway leaves zero values out).
         *
         * @throws IOException naming the call if it is not JSON (a proxy's HTML page, a cut answer): retryable
         */
        public JsonNode json() throws IOException {
            if (body.isBlank()) {
                return object();
            }
            try {
                return MAPPER.readTree(body);
            } catch (JsonProcessingException e) {
                throw new IOException(
                        owner.backend + " " + call + " answered " + code + " with a body that is not JSON: "
                                + abbreviated(body),
                        e);
            }
        }

        /** The body as JSON, or an empty object if it is not JSON (an error body, which may be text). */
        public JsonNode jsonOrEmpty() {
            try {
                return json();
            } catch (IOException notJson) {
                return object();
            }
        }

        /**
         * The exception for this answer: a {@link RefusedException} if the backend's rule says no retry gets
         * past it, else a plain {@link IOException}; either reads "{backend} {what} answered {code}: {body}".
         */
        public IOException failure(String what) {
            String message = owner.backend + " " + what + " answered " + code + ": " + abbreviated(body);
            return owner.refusal.test(this) ? new RefusedException(message) : new IOException(message);
        }

        private static String abbreviated(String text) {
            // One log line: an error page can be long.
            String line = text.strip().replaceAll("\\s+", " ");
            return line.length() <= 500 ? line : line.substring(0, 500) + "…";
        }
    }

    /** The backend's name, base URL and client, and optionally common headers and its refusal rule. */
    public static final class Builder {
        private final String backend;
        private final List<Endpoint> endpoints;
        private final OkHttpClient http;
        private final Headers.Builder headers = new Headers.Builder();
        private Predicate<Answer> refusal = LASTING_4XX;

        private Builder(String backend, List<Endpoint> endpoints, OkHttpClient http) {
            this.backend = Objects.requireNonNull(backend, "backend");
            this.http = Objects.requireNonNull(http, "http");
            this.endpoints = endpoints;
        }

        /** A header every call carries; none when {@code value} is null (a token that is not configured). */
        public Builder header(String name, String value) {
            if (value != null) {
                headers.set(name, value);
            }
            return this;
        }

        /** Which answers (4xx, by the backend's API) no retry gets past; default {@link #LASTING_4XX}. */
        public Builder refusal(Predicate<Answer> refusal) {
            this.refusal = Objects.requireNonNull(refusal, "refusal");
            return this;
        }

        public JsonHttp build() {
            return new JsonHttp(this);
        }
    }
}
