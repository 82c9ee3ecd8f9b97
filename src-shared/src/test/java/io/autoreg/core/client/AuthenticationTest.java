package io.autoreg.core.client;

import static io.autoreg.core.client.ServiceRegistryClientTest.JSON;
import static io.autoreg.core.client.ServiceRegistryClientTest.json;
import static io.autoreg.core.client.ServiceRegistryClientTest.line;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.autoreg.core.client.model.AuthResponse;
import io.autoreg.core.testing.ManualClock;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tokens from {@code /v2.0/tokens}: obtained on first use, renewed before expiry, and again once on 401. */
class AuthenticationTest {

    private static final String UNAUTHORIZED =
            "{\"type\":\"unauthorizedError\",\"code\":401,\"message\":\"m\",\"details\":\"d\",\"txnId\":\"x\"}";
    private final MockWebServer server = new MockWebServer();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private ServiceRegistryClient client;

    @BeforeEach
    void start() throws IOException {
        server.start(InetAddress.getLoopbackAddress(), 0);
        client = ServiceRegistryClient.builder()
                .url(server.url("/v1.0/7777").toString())
                .apiKey("ops", "key-1")
                .clock(clock)
                .build();
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        server.shutdown();
    }

    private static MockResponse token(String id, String expires) {
        return json(
                200,
                "{\"access\":{\"token\":{\"id\":\"" + id + "\",\"expires\":\"" + expires
                        + "\",\"tenant\":{\"id\":\"7777\"}},\"serviceCatalog\":[]}}");
    }

    private RecordedRequest take() throws InterruptedException {
        RecordedRequest r = server.takeRequest(2, TimeUnit.SECONDS);
        assertNotNull(r);
        return r;
    }

    @Test
    void theFirstCallAuthenticatesWithUsernameAndApiKey() throws Exception {
        server.enqueue(token("tok-A", "2026-01-02T00:00:00.000Z"));
        server.enqueue(json(200, "{\"token\":\"t1\"}"));
        server.enqueue(json(200, "{\"token\":\"t2\"}"));
        client.services().heartbeat("a-1", "t0");
        client.services().heartbeat("a-1", "t1");
        RecordedRequest auth = take();
        assertEquals("POST /v2.0/tokens", line(auth));
        assertEquals(
                JSON.readTree(
                        "{\"auth\":{\"RAX-KSKEY:apiKeyCredentials\":{\"username\":\"ops\",\"apiKey\":\"key-1\"}}}"),
                JSON.readTree(auth.getBody().readUtf8()));
        assertEquals("tok-A", take().getHeader("X-Auth-Token"));
        assertEquals("tok-A", take().getHeader("X-Auth-Token"), "the token is reused");
        assertEquals(3, server.getRequestCount());
    }

    @Test
    void on401ItAuthenticatesAgainAndRetriesTheCallOnce() throws Exception {
        server.enqueue(token("tok-A", "2026-01-02T00:00:00Z"));
        server.enqueue(json(401, UNAUTHORIZED).setHeader("WWW-Authenticate", "Keystone"));
        server.enqueue(token("tok-B", "2026-01-02T00:00:00Z"));
        server.enqueue(json(200, "{\"token\":\"t1\"}"));
        assertEquals("t1", client.services().heartbeat("a-1", "t0"));
        take();
        RecordedRequest refused = take();
        take();
        RecordedRequest retried = take();
        assertEquals("tok-A", refused.getHeader("X-Auth-Token"));
        assertEquals("tok-B", retried.getHeader("X-Auth-Token"));
        assertEquals(line(refused), line(retried));
        assertEquals(refused.getBody().readUtf8(), retried.getBody().readUtf8(), "the same call is repeated");
    }

    @Test
    void aSecond401IsThrownNotRetriedAgain() {
        server.enqueue(token("tok-A", "2026-01-02T00:00:00Z"));
        server.enqueue(json(401, UNAUTHORIZED));
        server.enqueue(token("tok-B", "2026-01-02T00:00:00Z"));
        server.enqueue(json(401, UNAUTHORIZED));
        UnauthorizedException e = assertThrows(UnauthorizedException.class, () -> client.limits());
        assertEquals("unauthorizedError", e.type());
        assertEquals(4, server.getRequestCount());
    }

    @Test
    void aTokenAboutToExpireIsRenewedBeforeUse() throws Exception {
        server.enqueue(token("tok-A", "2026-01-01T01:00:00Z"));
        server.enqueue(json(200, "{\"token\":\"t1\"}"));
        server.enqueue(token("tok-B", "2026-01-01T02:00:00Z"));
        server.enqueue(json(200, "{\"token\":\"t2\"}"));
        client.services().heartbeat("a-1", "t0");
        clock.advance(Duration.ofMinutes(59).plusSeconds(45));
        client.services().heartbeat("a-1", "t1");
        take();
        assertEquals("tok-A", take().getHeader("X-Auth-Token"));
        assertEquals("/v2.0/tokens", take().getPath());
        assertEquals("tok-B", take().getHeader("X-Auth-Token"));
    }

    @Test
    void credentialsInTheUrlAreRefusedNotDroppedAndTheirPasswordIsNotShown() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ServiceRegistryClient.builder()
                        .url("http://ops:s3cr3t@127.0.0.1:1/v1.0/7777")
                        .build());
        assertEquals(
                "the URL's user:password@ is not sent to a Service Registry (http://ops:██@127.0.0.1:1/v1.0/7777):"
                        + " give apiKey(username, apiKey) or token(token) instead",
                e.getMessage());
    }

    @Test
    void badCredentialsAreATypedError() {
        server.enqueue(json(401, UNAUTHORIZED));
        assertThrows(UnauthorizedException.class, () -> client.limits());
    }

    @Test
    void authenticateReturnsTheAccessToken() throws Exception {
        server.enqueue(token("tok-A", "2026-01-02T00:00:00Z"));
        AuthResponse.AccessToken t = client.authenticate();
        assertEquals("tok-A", t.id());
        assertEquals("7777", t.tenant().id());
        assertEquals("2026-01-02T00:00:00Z", t.expires());
    }

    @Test
    void aStaticTokenIsSentAndA401IsFinal() throws Exception {
        try (ServiceRegistryClient fixed = ServiceRegistryClient.builder()
                .url(server.url("/v1.0/7777").toString())
                .token("static")
                .build()) {
            server.enqueue(json(401, UNAUTHORIZED));
            assertThrows(UnauthorizedException.class, fixed::limits);
            assertEquals("static", take().getHeader("X-Auth-Token"));
            assertEquals(1, server.getRequestCount());
            assertThrows(IllegalStateException.class, fixed::authenticate);
        }
    }
}
