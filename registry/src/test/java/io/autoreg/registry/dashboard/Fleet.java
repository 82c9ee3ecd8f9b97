package io.autoreg.registry.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Many services of one tenant registered into one session that is heartbeated in the background, so they stay
 * for as long as a test class runs however slow the machine. Ids are {@code <prefix>-<nnnnn>}; metadata carries
 * service_name, host and port the way the agent and the sidecar send them.
 */
final class Fleet implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int IN_FLIGHT = 64; // concurrent creates, so the journal's group commit batches the fsyncs
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String tenantUrl;
    private final String token;
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fleet-session-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private final String sessionId;
    private volatile String sessionToken;

    Fleet(String baseUrl, String tenant, String token) throws IOException {
        this.tenantUrl = baseUrl + "/v1.0/" + tenant;
        this.token = token;
        HttpResponse<String> created =
                send("POST", "/sessions", "{\"heartbeat_timeout\":60,\"metadata\":{\"owner\":\"browser-test\"}}");
        require(created, 201);
        String location = created.headers().firstValue("Location").orElseThrow();
        sessionId = location.substring(location.lastIndexOf('/') + 1);
        sessionToken = JSON.readTree(created.body()).get("token").asText();
        heartbeats.scheduleWithFixedDelay(this::beat, 10, 10, TimeUnit.SECONDS);
    }

    String sessionId() {
        return sessionId;
    }

    static String id(String prefix, int i) {
        return String.format("%s-%05d", prefix, i);
    }

    /** Registers {@code count} services, {@code perName} instances to a service name, tags alternating zone-a/zone-b. */
    List<String> register(String prefix, int count, int perName) throws IOException {
        Semaphore slots = new Semaphore(IN_FLIGHT);
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>(count);
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String id = id(prefix, i);
            ids.add(id);
            String body = "{\"id\":\"" + id + "\",\"session_id\":\"" + sessionId + "\",\"tags\":[\""
                    + (i % 2 == 0 ? "zone-a" : "zone-b")
                    + "\",\"" + prefix + "\"],\"metadata\":{\"service_name\":\"" + prefix + "-svc-" + (i / perName)
                    + "\",\"host\":\"10.1."
                    + (i / 250) + "." + (i % 250) + "\",\"port\":\"" + (8000 + i % 100) + "\"}}";
            slots.acquireUninterruptibly();
            all.add(client.sendAsync(request("POST", "/services", body), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, e) -> slots.release()));
        }
        for (CompletableFuture<HttpResponse<String>> f : all) {
            require(f.join(), 201);
        }
        return ids;
    }

    HttpResponse<String> send(String method, String path, String json) throws IOException {
        try {
            return client.send(request(method, path, json), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private HttpRequest request(String method, String path, String json) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(tenantUrl + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("X-Auth-Token", token);
        }
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return b.method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    private void beat() {
        try {
            HttpResponse<String> r =
                    send("POST", "/sessions/" + sessionId + "/heartbeat", "{\"token\":\"" + sessionToken + "\"}");
            if (r.statusCode() == 200) {
                sessionToken = JSON.readTree(r.body()).get("token").asText();
            }
        } catch (IOException | RuntimeException e) {
            // The registry may be stopped on purpose by a test; the next beat tries again.
        }
    }

    private static void require(HttpResponse<String> r, int status) {
        if (r.statusCode() != status) {
            throw new AssertionError(
                    r.request().method() + " " + r.uri() + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    @Override
    public void close() {
        heartbeats.shutdownNow();
    }
}
