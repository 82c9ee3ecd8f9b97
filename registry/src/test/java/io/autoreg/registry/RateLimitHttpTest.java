package io.autoreg.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.core.internal.settings.SettingsException;
import io.autoreg.registry.support.SettableClock;
import io.autoreg.testing.Http;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The request-rate limit as a fleet meets it: heartbeats are never counted nor refused, reads and writes
 * have budgets of their own (a write storm never starves discovery), a refusal is 429 with Retry-After
 * and the fault body, and /metrics counts refusals per tenant.
 */
class RateLimitHttpTest {
    @TempDir
    Path data;

    private static RegistryServer start(Path data, SettableClock clock, String rate) {
        return RegistryServer.builder()
                .port(0)
                .bind("127.0.0.1")
                .dataDir(data)
                .clock(clock)
                .config("autoreg.server.rate-limit { " + rate + " }")
                .build()
                .start();
    }

    private static void assertRefused(Http.Response answer, long retryAfter) {
        assertEquals(429, answer.status(), () -> answer.raw().body());
        assertEquals("rateLimitReached", answer.json().get("type").asText());
        assertEquals(429, answer.json().get("code").asInt());
        assertEquals(answer.header("X-Response-Id"), answer.json().get("txnId").asText());
        assertEquals(String.valueOf(retryAfter), answer.header("Retry-After"));
    }

    @Test
    void heartbeatsAreNeitherCountedNorRefused() {
        SettableClock clock = new SettableClock();
        try (RegistryServer server = start(data, clock, "reads = 3, writes = 2, window = 1h")) {
            Http http = new Http(server.baseUrl());
            var created = http.post("/v1.0/r1/services", "{\"id\":\"svc-beat\",\"heartbeat_timeout\":60}");
            assertEquals(201, created.status());
            String token = created.json().get("token").asText();
            var session = http.post("/v1.0/r1/sessions", "{\"heartbeat_timeout\":60}");
            assertEquals(201, session.status());
            String sessionPath = session.header("Location").replaceAll("^http://[^/]*", "");
            String sessionToken = session.json().get("token").asText();
            assertRefused(http.post("/v1.0/r1/services", "{\"id\":\"svc-over\",\"heartbeat_timeout\":60}"), 3600);
            for (int i = 0; i < 100; i++) {
                var beat = http.post("/v1.0/r1/services/svc-beat/heartbeat", "{\"token\":\"" + token + "\"}");
                assertEquals(200, beat.status(), "heartbeat " + i);
                token = beat.json().get("token").asText();
                var sessionBeat = http.post(sessionPath + "/heartbeat", "{\"token\":\"" + sessionToken + "\"}");
                assertEquals(200, sessionBeat.status(), "session heartbeat " + i);
                sessionToken = sessionBeat.json().get("token").asText();
            }
            var limits = http.get("/v1.0/r1/limits").json().get("rate");
            assertEquals(2, limits.at("/POST|PUT|DELETE ~1.*/limit").asLong(), limits::toString);
            assertEquals(2, limits.at("/POST|PUT|DELETE ~1.*/used").asLong(), limits::toString);
            assertEquals(3, limits.at("/GET ~1.*/limit").asLong(), limits::toString);
            assertEquals(1, limits.at("/GET ~1.*/used").asLong(), limits::toString);
            assertEquals("1.0 hours", limits.at("/GET ~1.*/window").asText(), limits::toString);
        }
    }

    @Test
    void aWriteStormDoesNotStarveReadsAndRefusalsSayWhenToComeBack() {
        SettableClock clock = new SettableClock();
        try (RegistryServer server = start(data, clock, "reads = 5, writes = 3, window = 1h")) {
            Http http = new Http(server.baseUrl());
            for (int i = 0; i < 3; i++) {
                assertEquals(
                        204,
                        http.put("/v1.0/r1/configuration/key_" + i, "{\"value\":\"v\"}")
                                .status());
            }
            clock.advance(Duration.ofMinutes(10));
            assertRefused(http.put("/v1.0/r1/configuration/key_x", "{\"value\":\"v\"}"), 3000);
            assertRefused(http.delete("/v1.0/r1/configuration/key_0"), 3000);
            assertEquals(200, http.get("/v1.0/r1/configuration/key_0").status());
            assertEquals(200, http.get("/v1.0/r1/services").status());
            assertEquals(
                    204,
                    http.put("/v1.0/r2/configuration/key_0", "{\"value\":\"v\"}")
                            .status()); // another tenant
            for (int i = 0; i < 3; i++) {
                assertEquals(200, http.get("/v1.0/r1/services").status());
            }
            clock.advance(Duration.ofMillis(3_599_500)); // the reads window began with the first GET, 10 min in
            assertRefused(http.get("/v1.0/r1/services"), 1);
            clock.advance(Duration.ofMillis(500));
            assertEquals(200, http.get("/v1.0/r1/services").status());
            assertEquals(204, http.delete("/v1.0/r1/configuration/key_0").status());
            String metrics = http.get("/metrics").raw().body();
            assertTrue(
                    metrics.contains("autoreg_rate_limit_refused_total{class=\"writes\",tenant=\"r1\"} 2.0"), metrics);
            assertTrue(
                    metrics.contains("autoreg_rate_limit_refused_total{class=\"reads\",tenant=\"r1\"} 1.0"), metrics);
            assertTrue(metrics.contains("autoreg_rate_limit_used_ratio{class=\"reads\",tenant=\"r1\"} 0.2"), metrics);
        }
    }

    @Test
    void theSettingOfTheOldSingleBudgetIsRefusedWithItsReplacement() {
        var e = assertThrows(
                SettingsException.class,
                () -> RegistryServer.builder()
                        .port(0)
                        .dataDir(data)
                        .config("autoreg.server.rate-limit.requests = 500000")
                        .build());
        assertEquals("autoreg.server.rate-limit.requests", e.key());
        assertTrue(e.getMessage().contains("rate-limit.reads"), e::getMessage);
    }
}
