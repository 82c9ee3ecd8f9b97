package io.autoreg.registry.crash;

import io.autoreg.registry.conformance.RegistryHttp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the crash test throws at the registry while it is being killed: configuration sets, overwrites
 * and deletes, registrations and deregistrations, and services (and a session) that keep heartbeating
 * through every restart, remembering any 404 they ever see.
 *
 * <p>Every object's possible outcomes are tracked: an acknowledged (2xx) write pins the object to exactly
 * its result; a write that got no answer (the server died mid-request) may or may not have happened, so
 * it only widens the possibilities.
 */
final class Workload {
    static final String TENANT_PATH = "/v1.0/crash";
    /** The outcome "no such object". */
    static final String ABSENT = "<absent>";

    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");

    private final URI root;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofMillis(500))
            .build();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final Random random = new Random(7);

    /** Configuration path → the values it may hold ({@link #ABSENT} included). */
    final Map<String, Set<String>> configurationOutcomes = new ConcurrentHashMap<>();
    /** Service id → "present" and/or {@link #ABSENT}. */
    final Map<String, Set<String>> serviceOutcomes = new ConcurrentHashMap<>();

    final AtomicInteger acknowledgedWrites = new AtomicInteger();
    final AtomicInteger unansweredWrites = new AtomicInteger();
    final AtomicInteger successfulBeats = new AtomicInteger();
    final AtomicInteger unansweredBeats = new AtomicInteger();
    final ConcurrentLinkedQueue<String> heartbeat404s = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> unexpectedAnswers = new ConcurrentLinkedQueue<>();

    Workload(URI root) {
        this.root = root;
    }

    /** Registers the heartbeating services and one session service, then starts every thread. */
    void start(List<String> heartbeatingIds, String sessionServiceId, int timeoutSeconds) throws Exception {
        for (String id : heartbeatingIds) {
            HttpResponse<String> created =
                    send("POST", "/services", RegistryHttp.json("id", id, "heartbeat_timeout", timeoutSeconds));
            expect(201, created, "register " + id);
            String token = token(created.body());
            spawn("autoreg-crash-heartbeat-" + id, () -> heartbeat("/services/" + id, token));
        }
        HttpResponse<String> session =
                send("POST", "/sessions", RegistryHttp.json("heartbeat_timeout", timeoutSeconds));
        expect(201, session, "create a session");
        String sessionId =
                session.headers().firstValue("Location").orElseThrow().replaceAll(".*/", "");
        expect(
                201,
                send("POST", "/services", RegistryHttp.json("id", sessionServiceId, "session_id", sessionId)),
                "register " + sessionServiceId);
        String sessionToken = token(session.body());
        spawn("autoreg-crash-heartbeat-session", () -> heartbeat("/sessions/" + sessionId, sessionToken));
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

    /** One write of the writer: what it sends, which object it changes, and to what. */
    private record Write(
            Map<String, Set<String>> outcomes,
            String key,
            String result,
            String method,
            String path,
            String body,
            int success) {}

    private void write() {
        List<String> keys = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int n = 0; running.get() && n < 1_000_000; n++) {
            Write write = next(n, keys, ids);
            try {
                apply(write, send(write.method(), write.path(), write.body()));
            } catch (IOException e) {
                unansweredWrites.incrementAndGet(); // down or killed mid-request: it may or may not have happened
                write.outcomes().get(write.key()).add(write.result());
                pause(50);
            } catch (InterruptedException e) {
                return;
            }
            pause(20);
        }
    }

    /** Cycles through: a new key, a new service, an overwrite, a deregistration, a configuration delete. */
    private Write next(int n, List<String> keys, List<String> ids) {
        int op = n % 5;
        String value = "value-" + n;
        if (op == 0 || keys.isEmpty()) {
            String key = "/crash/key_" + n;
            keys.add(key);
            configurationOutcomes.put(key, new HashSet<>(Set.of(ABSENT)));
            return new Write(
                    configurationOutcomes,
                    key,
                    value,
                    "PUT",
                    "/configuration" + key,
                    RegistryHttp.json("value", value),
                    204);
        }
        if (op == 1 || ids.isEmpty()) {
            String id = "svc-written-" + n;
            ids.add(id);
            serviceOutcomes.put(id, new HashSet<>(Set.of(ABSENT)));
            return new Write(
                    serviceOutcomes,
                    id,
                    "present",
                    "POST",
                    "/services",
                    RegistryHttp.json("id", id, "heartbeat_timeout", 120),
                    201);
        }
        if (op == 2) {
            String key = keys.get(random.nextInt(keys.size()));
            return new Write(
                    configurationOutcomes,
                    key,
                    value,
                    "PUT",
                    "/configuration" + key,
                    RegistryHttp.json("value", value),
                    204);
        }
        if (op == 3) {
            String id = ids.get(random.nextInt(ids.size()));
            return new Write(serviceOutcomes, id, ABSENT, "DELETE", "/services/" + id, null, 204);
        }
        String key = keys.get(random.nextInt(keys.size()));
        return new Write(configurationOutcomes, key, ABSENT, "DELETE", "/configuration" + key, null, 204);
    }

    /**
     * An acknowledged write pins the outcome. A 404 to a delete is right when absence was possible, and
     * pins it; a 400 serviceWithThisIdExists to a create is right when presence was possible (an earlier
     * attempt got no answer but happened), and pins that. Anything else is unexpected.
     */
    private void apply(Write write, HttpResponse<String> answer) {
        Set<String> possible = write.outcomes().get(write.key());
        boolean deleteOfAbsent =
                answer.statusCode() == 404 && write.result().equals(ABSENT) && possible.contains(ABSENT);
        boolean createOfPresent = answer.statusCode() == 400
                && answer.body().contains("serviceWithThisIdExists")
                && possible.contains("present");
        if (answer.statusCode() == write.success() || deleteOfAbsent || createOfPresent) {
            write.outcomes().put(write.key(), new HashSet<>(Set.of(write.result())));
            if (answer.statusCode() == write.success()) {
                acknowledgedWrites.incrementAndGet();
            }
        } else {
            unexpectedAnswers.add(write.method() + " " + write.path() + " -> " + answer.statusCode() + " "
                    + answer.body() + " (possible: " + possible + ")");
        }
    }

    private void heartbeat(String path, String firstToken) {
        String token = firstToken;
        boolean lastAttemptUnanswered = false;
        while (running.get()) {
            try {
                HttpResponse<String> answer = send("POST", path + "/heartbeat", RegistryHttp.json("token", token));
                if (answer.statusCode() == 200) {
                    token = token(answer.body());
                    successfulBeats.incrementAndGet();
                    lastAttemptUnanswered = false;
                } else if (answer.statusCode() == 404) {
                    heartbeat404s.add(path + (lastAttemptUnanswered ? " (after an unanswered heartbeat)" : "") + ": "
                            + answer.body());
                    return;
                } else {
                    unexpectedAnswers.add("heartbeat " + path + " -> " + answer.statusCode() + " " + answer.body());
                }
            } catch (IOException e) {
                unansweredBeats.incrementAndGet(); // retry with the same token: it was never answered
                lastAttemptUnanswered = true;
                pause(50);
                continue;
            } catch (InterruptedException e) {
                return;
            }
            pause(250);
        }
    }

    HttpResponse<String> send(String method, String tail, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(root + TENANT_PATH + tail)).timeout(Duration.ofSeconds(3));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                    .header("Content-Type", RegistryHttp.JSON);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void expect(int status, HttpResponse<String> answer, String what) {
        if (answer.statusCode() != status) {
            throw new AssertionError("could not " + what + ": " + answer.statusCode() + " " + answer.body());
        }
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
            Thread.sleep(millis); // pacing of the load generator, not synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
