package io.autoreg.sidecar.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoreg.core.internal.http.HttpClients;
import io.autoreg.core.internal.log.Log;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

/**
 * GET host:port/path, over TLS for an {@code https} check ({@link ProbeTls}). A 2xx passes — a plain 200 is
 * healthy, whatever the body — unless the body is the common health JSON {@code {"status":"…"}} with a status that
 * says unhealthy ({@link #UNHEALTHY}), so a neighbour that answers 200 with {@code DOWN} is taken out of the
 * registry. Any other status passes with its 2xx: the conventions differ ({@code UP}, {@code pass}, {@code ok}, {@code healthy}, {@code green}; {@code warn} and Spring's
 * {@code UNKNOWN} are still serving), and a neighbour answering {@code {"status":"ok"}} was healthy to every tool
 * but one that knew only Spring's word. Redirects go as the kubelet's HTTP probes take them: followed on the same
 * scheme, host and port (up to {@value #MAX_REDIRECTS}, {@code /health} → {@code /health/}, {@code /} →
 * {@code /login}); one to another host is not followed — the probe must not reach elsewhere — and passes, the
 * neighbour having answered.
 */
final class HttpHealthCheck implements HealthCheck {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /**
     * The statuses that fail a 2xx, compared in lower case: Spring Boot's and MicroProfile Health's {@code DOWN} and
     * {@code OUT_OF_SERVICE}; the health check response format's ({@code application/health+json},
     * draft-inadarei-api-health-check) {@code fail} and its aliases {@code error} (Node's Terminus) and
     * {@code down}; Consul's {@code critical}; Docker's {@code unhealthy}; Elasticsearch's cluster {@code red}.
     */
    static final Set<String> UNHEALTHY =
            Set.of("down", "out_of_service", "fail", "error", "critical", "unhealthy", "red");
    /** Redirects followed on the neighbour itself, as many as the kubelet follows. */
    static final int MAX_REDIRECTS = 10;
    /** Health bodies are small; never buffer more than this from a neighbour. */
    private static final long MAX_BODY = 64 * 1024;

    private final OkHttpClient http;
    private final Request request;

    HttpHealthCheck(CheckSettings check) {
        OkHttpClient.Builder client = probeClient(check);
        this.http = (check.type() == CheckType.HTTPS ? ProbeTls.unverified(client) : client).build();
        this.request = new Request.Builder()
                .url(check.target())
                .header("User-Agent", "autoreg-sidecar")
                .get()
                .build();
    }

    /**
     * The shared client as a probe needs it: every step bounded by the check's timeout, redirects left to the probe,
     * and no silent retry (a failure is the answer). For the http and grpc checks alike.
     */
    static OkHttpClient.Builder probeClient(CheckSettings check) {
        return HttpClients.shared()
                .newBuilder()
                .connectTimeout(check.timeout())
                .readTimeout(check.timeout())
                .callTimeout(check.timeout())
                .followRedirects(false)
                .retryOnConnectionFailure(false);
    }

    @Override
    public Result probe() {
        try {
            Request next = request;
            for (int redirects = 0; ; redirects++) {
                try (Response response = http.newCall(next).execute()) {
                    if (!response.isRedirect()) {
                        return judge(response);
                    }
                    HttpUrl location = response.header("Location") == null
                            ? null
                            : next.url().resolve(response.header("Location"));
                    if (location == null) {
                        return Result.fail("HTTP " + response.code() + " without a Location");
                    }
                    if (!sameOrigin(location, next.url())) {
                        return Result.pass("HTTP " + response.code() + " to " + location.host() + ":" + location.port()
                                + ", not followed");
                    }
                    if (redirects == MAX_REDIRECTS) {
                        return Result.fail("HTTP " + response.code() + " after " + MAX_REDIRECTS + " redirects");
                    }
                    next = next.newBuilder().url(location).build();
                }
            }
        } catch (IOException e) {
            return Result.fail(Log.describe(e));
        }
    }

    /** Same scheme, host and port: a redirect the probe may follow without reaching another host. */
    private static boolean sameOrigin(HttpUrl a, HttpUrl b) {
        return a.scheme().equals(b.scheme()) && a.host().equals(b.host()) && a.port() == b.port();
    }

    /** A final answer: a 2xx passes unless its JSON status says unhealthy. */
    private static Result judge(Response response) throws IOException {
        if (!response.isSuccessful()) {
            return Result.fail("HTTP " + response.code());
        }
        String status = declaredStatus(response.body());
        if (status == null) {
            return Result.pass("HTTP " + response.code());
        }
        boolean healthy = !UNHEALTHY.contains(status.strip().toLowerCase(Locale.ROOT));
        return new Result(healthy, "HTTP " + response.code() + " status " + status);
    }

    /** The top-level {@code status} string of a JSON object body, or null when there is none. */
    private static String declaredStatus(ResponseBody body) throws IOException {
        if (body == null) {
            return null;
        }
        BufferedSource source = body.source();
        source.request(MAX_BODY);
        Buffer buffer = source.getBuffer();
        String text = buffer.readUtf8(Math.min(MAX_BODY, buffer.size())).strip();
        if (!text.startsWith("{")) {
            return null;
        }
        try {
            JsonNode status = MAPPER.readTree(text).get("status");
            return status != null && status.isTextual() ? status.asText() : null;
        } catch (IOException notJson) {
            return null;
        }
    }
}
