package io.autoreg.registry.crash;

import io.autoreg.registry.conformance.RegistryHttp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the crash test throws at the registry while it is being killed: configuration writes and
 * registrations (each remembered only once acknowledged with a 2xx), and services that keep heartbeating
 * through every restart, remembering any 404 they ever see.
 */
final class Workload {
    static final String TENANT_PATH = "/v1.0/crash";
    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");

    private final URI root;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofMillis(500)).build();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    final Map<String, String> acknowledgedConfiguration = new ConcurrentHashMap<>();
    final List<String> acknowledgedServices = new CopyOnWriteArrayList<>();
    final AtomicInteger acknowledgedWrites = new AtomicInteger();
    final AtomicInteger unansweredWrites = new AtomicInteger();
    final AtomicInteger successfulBeats = new AtomicInteger();
    final AtomicInteger unansweredBeats = new AtomicInteger();
    final ConcurrentLinkedQueue<String> heartbeat404s = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> serverErrors = new ConcurrentLinkedQueue<>();

    Workload(URI root) {
        this.root = root;
    }

    /** Registers the heartbeating services (the registry must be up) and starts every thread. */
    void start(List<String> heartbeatingIds, int heartbeatTimeoutSeconds) throws IOException, InterruptedException {
        for (String id : heartbeatingIds) {
            HttpResponse<String> created = send("POST", "/services",
                    RegistryHttp.json("id", id, "heartbeat_timeout", heartbeatTimeoutSeconds));
            if (created.statusCode() != 201) {
                throw new AssertionError("could not register " + id + ": " + created.statusCode() + " " + created.body());
            }
            String token = token(created.body());
            spawn("autoreg-crash-heartbeat-" + id, () -> heartbeat(id, token));
        }
        spawn("autoreg-crash-writer", this::write);
    }

    void stop() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(10_000);
            if (thread.isAlive()) {
                throw new AssertionError(thread.getName() + " did not stop");
            }
        }
    }

    private void spawn(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    private void write() {
        for (int n = 0; running.get() && n < 1_000_000; n++) {
            try {
                if (n % 2 == 0) {
                    String key = "/crash/key_" + n;
                    String value = "value-" + n;
                    HttpResponse<String> answer = send("PUT", "/configuration" + key, RegistryHttp.json("value", value));
                    if (answer.statusCode() == 204) {
                        acknowledgedConfiguration.put(key, value);
                        acknowledgedWrites.incrementAndGet();
                    } else {
                        noteUnexpected("PUT " + key, answer);
                    }
                } else {
                    String id = "svc-written-" + n;
                    HttpResponse<String> answer = send("POST", "/services",
                            RegistryHttp.json("id", id, "heartbeat_timeout", 120));
                    if (answer.statusCode() == 201) {
                        acknowledgedServices.add(id);
                        acknowledgedWrites.incrementAndGet();
                    } else {
                        noteUnexpected("POST " + id, answer);
                    }
                }
            } catch (IOException e) {
                unansweredWrites.incrementAndGet();   // down or killed mid-request: not acknowledged
                pause(50);
            } catch (InterruptedException e) {
                return;
            }
            pause(20);
        }
    }

    private void heartbeat(String id, String firstToken) {
        String token = firstToken;
        boolean lastAttemptUnanswered = false;
        while (running.get()) {
            try {
                HttpResponse<String> answer = send("POST", "/services/" + id + "/heartbeat",
                        RegistryHttp.json("token", token));
                if (answer.statusCode() == 200) {
                    token = token(answer.body());
                    successfulBeats.incrementAndGet();
                    lastAttemptUnanswered = false;
                } else if (answer.statusCode() == 404) {
                    heartbeat404s.add(id + (lastAttemptUnanswered ? " (after an unanswered heartbeat)" : "")
                            + ": " + answer.body());
                    return;
                } else {
                    noteUnexpected("heartbeat " + id, answer);
                }
            } catch (IOException e) {
                unansweredBeats.incrementAndGet();   // retry with the same token: it was never answered
                lastAttemptUnanswered = true;
                pause(50);
                continue;
            } catch (InterruptedException e) {
                return;
            }
            pause(250);
        }
    }

    private void noteUnexpected(String what, HttpResponse<String> answer) {
        if (answer.statusCode() >= 500) {
            serverErrors.add(what + " -> " + answer.statusCode() + " " + answer.body());
        } else {
            serverErrors.add(what + " -> unexpected " + answer.statusCode() + " " + answer.body());
        }
    }

    HttpResponse<String> send(String method, String tail, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(root + TENANT_PATH + tail))
                .timeout(Duration.ofSeconds(3));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                    .header("Content-Type", RegistryHttp.JSON);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String token(String body) {
        Matcher matcher = TOKEN.matcher(body);
        if (!matcher.find()) {
            throw new AssertionError("no token in " + body);
        }
        return matcher.group(1);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);   // pacing of the load generator, not synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
