package io.autoreg.sidecar.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoreg.core.internal.http.HttpClients;
import io.autoreg.core.internal.log.Log;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

/**
 * GET host:port/path, over TLS for an {@code https} check ({@link ProbeTls}). A 2xx passes — a plain 200 is
 * healthy, whatever the body — unless the body is the common health JSON {@code {"status":"…"}} with a status that
 * says unhealthy ({@link #UNHEALTHY}), so a neighbour that answers 200 with {@code DOWN} is taken out of the registry. Any other status passes with its 2xx: the
 * conventions differ ({@code UP}, {@code pass}, {@code ok}, {@code healthy}, {@code green}; {@code warn} and Spring's
 * {@code UNKNOWN} are still serving), and a neighbour answering {@code {"status":"ok"}} was healthy to every tool
 * but one that knew only Spring's word. Redirects are not followed: a health endpoint that redirects is
 * misconfigured, and following it could probe another host.
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
    /** Health bodies are small; never buffer more than this from a neighbour. */
    private static final long MAX_BODY = 64 * 1024;

    private final OkHttpClient http;
    private final Request request;

    HttpHealthCheck(CheckSettings check) {
        OkHttpClient.Builder client = HttpClients.shared()
                .newBuilder()
                .connectTimeout(check.timeout())
                .readTimeout(check.timeout())
                .callTimeout(check.timeout())
                .followRedirects(false)
                .retryOnConnectionFailure(false);
        this.http = (check.type() == CheckType.HTTPS ? ProbeTls.unverified(client) : client).build();
        this.request = new Request.Builder()
                .url(check.target())
                .header("User-Agent", "autoreg-sidecar")
                .get()
                .build();
    }

    @Override
    public Result probe() {
        try (Response response = http.newCall(request).execute()) {
            if (!response.isSuccessful()) {
                return Result.fail("HTTP " + response.code());
            }
            String status = declaredStatus(response.body());
            if (status == null) {
                return Result.pass("HTTP " + response.code());
            }
            boolean healthy = !UNHEALTHY.contains(status.strip().toLowerCase(Locale.ROOT));
            return new Result(healthy, "HTTP " + response.code() + " status " + status);
        } catch (IOException e) {
            return Result.fail(Log.describe(e));
        }
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
