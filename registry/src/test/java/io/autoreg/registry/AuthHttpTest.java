package io.autoreg.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.autoreg.testing.Await;
import io.autoreg.testing.Http;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthHttpTest {
    @TempDir
    static Path data;

    static RegistryServer server;

    @BeforeAll
    static void start() {
        server = RegistryServer.builder()
                .port(0)
                .bind("127.0.0.1")
                .dataDir(data)
                .config("autoreg.server { users = [{ username = alice, api-key = s3cret, tenant = \"7777\" }], "
                        + "token-ttl = 2s, tokens { ci-token = \"8888\" }, quotas.service = 2, "
                        + "rate-limit { reads = 1000, writes = 1000, window = 1h } }")
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String login(String user, String key) {
        var r = new Http(server.baseUrl())
                .post(
                        "/v2.0/tokens",
                        "{\"auth\":{\"RAX-KSKEY:apiKeyCredentials\":{\"username\":\"" + user + "\",\"apiKey\":\"" + key
                                + "\"}}}");
        return r.status() == 200 ? r.json().at("/access/token/id").asText() : null;
    }

    @Test
    void aConfiguredUserGetsAnExpiringTokenForItsTenant() {
        var r = new Http(server.baseUrl())
                .post(
                        "/v2.0/tokens",
                        "{\"auth\":{\"RAX-KSKEY:apiKeyCredentials\":{\"username\":\"alice\",\"apiKey\":\"s3cret\"}}}");
        assertEquals(200, r.status());
        assertEquals("7777", r.json().at("/access/token/tenant/id").asText());
        assertNotNull(
                java.time.Instant.parse(r.json().at("/access/token/expires").asText()));
        Http alice =
                new Http(server.baseUrl()).token(r.json().at("/access/token/id").asText());
        assertEquals(200, alice.get("/v1.0/7777/services").status());
        assertEquals(403, alice.get("/v1.0/8888/services").status());
        Await.until(
                Duration.ofSeconds(5), () -> alice.get("/v1.0/7777/services").status() == 401);
        var expired = alice.get("/v1.0/7777/services");
        assertEquals("unauthorizedError", expired.json().get("type").asText());
        assertNotNull(expired.header("WWW-Authenticate"));
    }

    @Test
    void wrongCredentialsAndMissingTokensAre401() {
        assertEquals(null, login("alice", "wrong"));
        assertEquals(401, new Http(server.baseUrl()).get("/v1.0/7777/services").status());
        assertEquals(
                401,
                new Http(server.baseUrl())
                        .token("nope")
                        .get("/v1.0/7777/services")
                        .status());
    }

    @Test
    void staticTokensAndQuotasApply() {
        Http ci = new Http(server.baseUrl()).token("ci-token");
        assertEquals(
                201,
                ci.post("/v1.0/8888/services", "{\"id\":\"q-1\",\"heartbeat_timeout\":30}")
                        .status());
        assertEquals(
                201,
                ci.post("/v1.0/8888/services", "{\"id\":\"q-2\",\"heartbeat_timeout\":30}")
                        .status());
        var over = ci.post("/v1.0/8888/services", "{\"id\":\"q-3\",\"heartbeat_timeout\":30}");
        assertEquals("limitReached", over.json().get("type").asText());
        assertEquals(
                2, ci.get("/v1.0/8888/limits").json().at("/resource/service").asInt());
    }
}
