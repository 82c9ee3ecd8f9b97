package io.autoreg.core.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoreg.core.client.model.Fault;
import io.autoreg.core.client.model.Token;
import java.io.IOException;
import java.util.function.Consumer;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSink;

/**
 * One HTTP exchange with the registry: JSON in and out, the {@code X-Auth-Token} header, and the
 * rule "on 401, authenticate again and retry the call once" (docs/api.md §7, §8). Errors become
 * {@link RegistryApiException}s carrying the fault body.
 */
final class Transport {

    static final ObjectMapper MAPPER =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    /** Redirects of a POST followed at most (OkHttp's own limit is 20; more than a few is a misconfiguration). */
    private static final int MAX_POST_REDIRECTS = 5;

    /** A 2xx answer: the parsed body (null for 204 or when no type was asked for) and its Location. */
    record Reply<T>(int status, T body, String location) {}

    private final OkHttpClient http;
    private final HttpUrl base;
    private final Authenticator auth;

    Transport(OkHttpClient http, HttpUrl base, Authenticator auth) {
        this.http = http;
        this.base = base;
        this.auth = auth;
    }

    OkHttpClient http() {
        return http;
    }

    HttpUrl base() {
        return base;
    }

    Authenticator auth() {
        return auth;
    }

    /** {@code base/segment/segment…}, each segment percent-encoded. */
    HttpUrl.Builder url(String... segments) {
        HttpUrl.Builder b = base.newBuilder();
        for (String s : segments) {
            b.addPathSegment(s);
        }
        return b;
    }

    <T> Reply<T> exchange(String call, String method, HttpUrl url, Object body, JavaType type) throws IOException {
        return exchange(call, method, url, body, type, http, null);
    }

    /**
     * {@code POST /{collection}/{id}/heartbeat}: consumes {@code token} and returns the next one (docs/api.md §2, §3),
     * the same exchange for services and sessions.
     */
    String heartbeat(String collection, String kind, String id, String token) throws IOException {
        Reply<Token> reply = exchange(
                "heartbeat " + kind + " " + id,
                "POST",
                url(collection, id, "heartbeat").build(),
                new Token(token),
                type(Token.class));
        return reply.body() == null ? null : reply.body().token();
    }

    /**
     * @param client   the OkHttp client to use (a long-poll variant of the shared one, for instance)
     * @param onCall   receives each call before it runs, so another thread can cancel it; may be null
     */
    <T> Reply<T> exchange(
            String call,
            String method,
            HttpUrl url,
            Object body,
            JavaType type,
            OkHttpClient client,
            Consumer<Call> onCall)
            throws IOException {
        byte[] payload = body == null ? null : MAPPER.writeValueAsBytes(body);
        String token = auth.token();
        try (Response first = execute(client, request(method, url, payload, token), onCall)) {
            if (first.code() != 401 || !auth.canReauthenticate()) {
                return read(call, first, type);
            }
        }
        String fresh = auth.reauthenticate(token);
        try (Response second = execute(client, request(method, url, payload, fresh), onCall)) {
            return read(call, second, type);
        }
    }

    private static Response execute(OkHttpClient client, Request request, Consumer<Call> onCall) throws IOException {
        Response response = call(client, request, onCall);
        for (int hops = 0; hops < MAX_POST_REDIRECTS && isPostRedirect(client, response); hops++) {
            HttpUrl to = response.request().url().resolve(response.header("Location"));
            if (to == null) {
                return response;
            }
            response.close();
            response = call(client, redirected(response.request(), to), onCall);
        }
        return response;
    }

    private static Response call(OkHttpClient client, Request request, Consumer<Call> onCall) throws IOException {
        Call c = client.newCall(request);
        if (onCall != null) {
            onCall.accept(c);
        }
        return c.execute();
    }

    /**
     * A 307 or 308 answering a POST, which OkHttp does not follow for a {@link OneShotBody}. Followed here as OkHttp
     * would: the server applied nothing, so sending the body again to the new location cannot do it twice.
     */
    private static boolean isPostRedirect(OkHttpClient client, Response response) {
        return (response.code() == 307 || response.code() == 308)
                && response.request().body() instanceof OneShotBody
                && response.header("Location") != null
                && client.followRedirects();
    }

    /** The same request to {@code to}; like OkHttp, the credentials go only to the same scheme, host and port. */
    private static Request redirected(Request request, HttpUrl to) {
        HttpUrl from = request.url();
        Request.Builder b = request.newBuilder()
                .url(to)
                .method(request.method(), new OneShotBody(((OneShotBody) request.body()).bytes));
        boolean sameOrigin =
                from.scheme().equals(to.scheme()) && from.host().equals(to.host()) && from.port() == to.port();
        if (!sameOrigin) {
            b.removeHeader("X-Auth-Token");
        }
        return b.build();
    }

    private static Request request(String method, HttpUrl url, byte[] payload, String token) {
        Request.Builder b = new Request.Builder()
                .url(url)
                .method(method, body(method, payload))
                .header("Accept", "application/json");
        if (token != null) {
            b.header("X-Auth-Token", token);
        }
        return b.build();
    }

    /** A POST's body is one-shot, with a payload or without; PUT's is empty when it has none; GET and DELETE none. */
    private static RequestBody body(String method, byte[] payload) {
        if ("POST".equals(method)) {
            return new OneShotBody(payload == null ? new byte[0] : payload);
        }
        if (payload != null) {
            return RequestBody.create(payload, JSON);
        }
        return "PUT".equals(method) ? RequestBody.create(new byte[0], JSON) : null;
    }

    /**
     * A POST's body, sent at most once per call. OkHttp replays a request whose connection failed after it went out
     * unless its body is one-shot; a creation or heartbeat the registry applied the first time is then answered as a
     * duplicate (400 {@code serviceWithThisIdExists}, 404 for the spent token) with nothing left to tell the caller
     * that its first attempt may have been applied. One-shot, the failure reaches the caller, which knows what a lost
     * answer means for its call (docs/api.md §8); PUT, GET and DELETE are idempotent and keep OkHttp's replay. OkHttp
     * does not follow a 307/308 for a one-shot body either: {@link #execute} does.
     */
    private static final class OneShotBody extends RequestBody {
        private final byte[] bytes;

        OneShotBody(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public MediaType contentType() {
            return JSON;
        }

        @Override
        public long contentLength() {
            return bytes.length;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            sink.write(bytes);
        }

        @Override
        public boolean isOneShot() {
            return true;
        }
    }

    private static <T> Reply<T> read(String call, Response response, JavaType type) throws IOException {
        ResponseBody body = response.body();
        byte[] bytes = body == null ? new byte[0] : body.bytes();
        if (!response.isSuccessful()) {
            throw RegistryApiException.of(call, response.code(), fault(bytes, response.header("X-Response-Id")))
                    .retryAfter(RetryAfter.parse(response.header("Retry-After"), System.currentTimeMillis()));
        }
        T value = null;
        if (type != null && bytes.length > 0) {
            value = MAPPER.readValue(bytes, type);
        }
        return new Reply<>(response.code(), value, response.header("Location"));
    }

    /** The fault body; a non-JSON error page (a proxy's) gives null, with the txnId from the header. */
    private static Fault fault(byte[] bytes, String responseId) {
        if (bytes.length > 0) {
            try {
                Fault f = MAPPER.readValue(bytes, Fault.class);
                if (f != null && f.type() != null) {
                    return f.txnId() == null && responseId != null
                            ? new Fault(f.type(), f.code(), f.message(), f.details(), responseId)
                            : f;
                }
            } catch (IOException ignored) {
                // not a fault body: fall through
            }
        }
        return responseId == null ? null : new Fault(null, 0, null, null, responseId);
    }

    static JavaType type(Class<?> raw) {
        return MAPPER.getTypeFactory().constructType(raw);
    }

    static JavaType pageOf(Class<?> item) {
        return MAPPER.getTypeFactory().constructParametricType(io.autoreg.core.client.model.Page.class, item);
    }
}
