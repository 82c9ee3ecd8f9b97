package io.autoreg.core.client;

import static io.autoreg.core.client.ServiceRegistryClientTest.json;
import static io.autoreg.core.client.ServiceRegistryClientTest.line;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.core.client.model.ServiceCreate;
import io.autoreg.core.client.model.SessionCreate;
import io.autoreg.core.internal.lifecycle.RegistrationState;
import io.autoreg.core.internal.log.Log;
import io.autoreg.core.testing.ManualClock;
import io.autoreg.core.testing.ManualScheduler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The heartbeater of docs/api.md §8, driven by a manual scheduler and clock against a scripted server: the HTTP
 * calls are real, the waiting is not.
 */
class HeartbeaterTest {

    /** The registry's 404 (docs/api.md §3): its details name what does not exist. */
    private static String notFound(String kind, String key) {
        return "{\"type\":\"notFoundError\",\"code\":404,\"message\":\"Object does not exist\","
                + "\"details\":\"Object \\\"" + kind + "\\\" with key \\\"" + key
                + "\\\" does not exist\",\"txnId\":\"x\"}";
    }

    private final MockWebServer server = new MockWebServer();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private ServiceRegistryClient client;

    @BeforeEach
    void start() throws IOException {
        Log.sink(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        server.start(InetAddress.getLoopbackAddress(), 0);
        client = ServiceRegistryClient.builder()
                .url(server.url("/v1.0/7777").toString())
                .clock(clock)
                .scheduler(scheduler)
                .random(new Random(3))
                .timeouts(Duration.ofMillis(500), Duration.ofSeconds(2))
                .build();
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        server.shutdown();
        Log.sink(null);
    }

    private RecordedRequest take() throws InterruptedException {
        RecordedRequest r = server.takeRequest(2, TimeUnit.SECONDS);
        assertNotNull(r, "a request was expected");
        return r;
    }

    private static ServiceCreate service(int timeout) {
        return ServiceCreate.withHeartbeat("api-1", timeout, List.of("api"), Map.of("port", "8080"));
    }

    @Test
    void itCreatesAtOnceThenBeatsAtTheDerivedIntervalRotatingTokens() throws Exception {
        server.enqueue(json(201, "{\"token\":\"t0\"}"));
        server.enqueue(json(200, "{\"token\":\"t1\"}"));
        server.enqueue(json(200, "{\"token\":\"t2\"}"));
        Heartbeater beat = client.heartbeater(service(10));
        assertEquals(HeartbeatState.PENDING, beat.state());
        beat.start();
        assertNull(beat.token());
        scheduler.runDue();
        assertEquals(HeartbeatState.REGISTERED, beat.state());
        assertEquals("t0", beat.token());
        assertEquals("POST /v1.0/7777/services", line(take()));
        // 10 s timeout: 0.6 × T = 6 s, minus up to 10 % jitter
        Duration interval = scheduler.nextDelay();
        assertTrue(interval.toMillis() > 5400 && interval.toMillis() <= 6000, interval.toString());
        scheduler.advance(Duration.ofSeconds(6));
        scheduler.advance(Duration.ofSeconds(6));
        RecordedRequest first = take();
        assertEquals("POST /v1.0/7777/services/api-1/heartbeat", line(first));
        assertEquals("{\"token\":\"t0\"}", first.getBody().readUtf8());
        assertEquals("{\"token\":\"t1\"}", take().getBody().readUtf8());
        assertEquals("t2", beat.token());
        assertEquals("api-1", beat.id());
    }

    @Test
    void on404ItCreatesTheRegistrationAgainInsteadOfStopping() throws Exception {
        server.enqueue(json(201, "{\"token\":\"t0\"}"));
        server.enqueue(json(404, notFound("Service", "api-1")));
        server.enqueue(json(201, "{\"token\":\"n0\"}"));
        server.enqueue(json(200, "{\"token\":\"n1\"}"));
        Heartbeater beat = client.heartbeater(service(10)).start();
        scheduler.runDue();
        scheduler.advance(Duration.ofSeconds(6));
        assertEquals(2, beat.creations());
        assertEquals("n0", beat.token());
        scheduler.advance(Duration.ofSeconds(6));
        take();
        take();
        assertEquals("POST /v1.0/7777/services", line(take()), "re-created at once");
        assertEquals("{\"token\":\"n0\"}", take().getBody().readUtf8(), "and beaten with the new chain");
        assertEquals(HeartbeatState.REGISTERED, beat.state());
    }

    /**
     * The answer to a beat is lost after the registry applied it (the call timed out): the retry presents the spent
     * token. The entry cannot have expired yet, so it is ours: deleted and created again at once, not left to block
     * its own re-creation until it expires.
     */
    @Test
    void aSpentTokenWhileTheEntryCannotHaveExpiredDeletesItAndCreatesItAgainAtOnce() throws Exception {
        server.enqueue(json(201, "{\"token\":\"t0\"}"));
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        server.enqueue(json(404, notFound("HeartbeatMarker", "t0")));
        server.enqueue(new MockResponse().setResponseCode(204));
        server.enqueue(json(201, "{\"token\":\"n0\"}"));
        Heartbeater beat = client.heartbeater(service(10)).start();
        scheduler.runDue();
        scheduler.advance(Duration.ofSeconds(6));
        assertEquals(2, beat.creations());
        assertEquals("n0", beat.token());
        assertEquals(HeartbeatState.REGISTERED, beat.state());
        assertEquals("POST /v1.0/7777/services", line(take()));
        assertEquals("{\"token\":\"t0\"}", take().getBody().readUtf8());
        assertEquals(
                "{\"token\":\"t0\"}", take().getBody().readUtf8(), "the retry, with the token the lost answer spent");
        assertEquals("DELETE /v1.0/7777/services/api-1", line(take()));
        assertEquals("POST /v1.0/7777/services", line(take()), "created again at once");
    }

    @Test
    void failedBeatsAreRetriedAtOnceThenWithBackoffAndItNeverDies() throws Exception {
        server.enqueue(json(201, "{\"token\":\"t0\"}"));
        for (int i = 0; i < 4; i++) {
            server.enqueue(new MockResponse().setResponseCode(503).setBody("down"));
        }
        server.enqueue(new MockResponse().setBody("{not json"));
        server.enqueue(json(200, "{\"token\":\"t1\"}"));
        server.enqueue(json(200, "{\"token\":\"t2\"}"));
        Heartbeater beat = client.heartbeater(service(10)).start();
        scheduler.runDue();
        scheduler.advance(Duration.ofSeconds(6));
        assertTrue(server.getRequestCount() >= 3, "the first retry is immediate: " + server.getRequestCount());
        scheduler.advance(Duration.ofSeconds(3));
        assertEquals(
                7, server.getRequestCount(), "four 503s and a broken body, then a good beat, within the 4 s margin");
        assertEquals("t1", beat.token());
        assertEquals(HeartbeatState.REGISTERED, beat.state());
        scheduler.advance(Duration.ofSeconds(6));
        assertEquals(8, server.getRequestCount(), "still beating");
        assertEquals("t2", beat.token());
    }

    @Test
    void aDuplicateIdIsRetriedUntilTheOldEntryExpires() throws Exception {
        for (int i = 0; i < 3; i++) {
            server.enqueue(
                    json(
                            400,
                            "{\"type\":\"serviceWithThisIdExists\",\"code\":400,\"message\":\"m\",\"details\":\"d\",\"txnId\":\"x\"}"));
        }
        server.enqueue(json(201, "{\"token\":\"t0\"}"));
        Heartbeater beat = client.heartbeater(service(10)).start();
        scheduler.advance(Duration.ofSeconds(5));
        assertEquals(HeartbeatState.REGISTERED, beat.state());
        assertEquals(4, server.getRequestCount());
        for (int i = 0; i < 4; i++) {
            assertEquals("POST /v1.0/7777/services", line(take()), "never a DELETE of the other entry");
        }
    }

    /** The public state is the client's own enum (PublicApiTest), one to one with the lifecycle's. */
    @Test
    void everyLifecycleStateHasItsPublicCounterpart() {
        for (RegistrationState internal : RegistrationState.values()) {
            assertEquals(internal.name(), HeartbeatState.of(internal).name());
        }
        assertEquals(RegistrationState.values().length, HeartbeatState.values().length);
    }

    @Test
    void stopLeavesTheEntryToExpireAndCloseDeletesIt() throws Exception {
        server.enqueue(json(201, "{\"token\":\"t0\"}"));
        Heartbeater stopped = client.heartbeater(service(10)).start();
        scheduler.runDue();
        stopped.stop();
        assertEquals(HeartbeatState.DEREGISTERED, stopped.state());
        scheduler.advance(Duration.ofMinutes(1));
        assertEquals(1, server.getRequestCount(), "no beat and no delete after stop()");
        take();

        server.enqueue(json(201, "{\"token\":\"u0\"}"));
        server.enqueue(new MockResponse().setResponseCode(204));
        Heartbeater closed = client.heartbeater(ServiceCreate.withHeartbeat("api-2", 10, List.of(), Map.of()))
                .start();
        scheduler.runDue();
        closed.close();
        take();
        assertEquals("DELETE /v1.0/7777/services/api-2", line(take()));
        assertEquals(HeartbeatState.DEREGISTERED, closed.state());
    }

    @Test
    void aSessionHeartbeaterRecreatesTheSessionAndItsServicesOn404() throws Exception {
        server.enqueue(json(201, "{\"token\":\"s0\"}").setHeader("Location", "/v1.0/7777/sessions/seAAAAAAAA"));
        server.enqueue(json(201, "{}"));
        server.enqueue(json(404, notFound("Session", "seAAAAAAAA")));
        server.enqueue(json(201, "{\"token\":\"r0\"}").setHeader("Location", "/v1.0/7777/sessions/seBBBBBBBB"));
        server.enqueue(json(201, "{}"));
        Heartbeater beat = client.sessionHeartbeater(
                        new SessionCreate(30, Map.of()),
                        List.of(ServiceCreate.inSession("db-1", null, List.of("db"), Map.of())))
                .start();
        scheduler.runDue();
        assertEquals("seAAAAAAAA", beat.id());
        scheduler.advance(Duration.ofSeconds(24));
        assertEquals("seBBBBBBBB", beat.id());
        assertEquals("r0", beat.token());
        assertEquals("POST /v1.0/7777/sessions", line(take()));
        assertEquals(
                "{\"id\":\"db-1\",\"session_id\":\"seAAAAAAAA\",\"tags\":[\"db\"],\"metadata\":{}}",
                take().getBody().readUtf8());
        assertEquals("POST /v1.0/7777/sessions/seAAAAAAAA/heartbeat", line(take()));
        assertEquals("POST /v1.0/7777/sessions", line(take()));
        assertEquals(
                "{\"id\":\"db-1\",\"session_id\":\"seBBBBBBBB\",\"tags\":[\"db\"],\"metadata\":{}}",
                take().getBody().readUtf8());
    }
}
