package io.autoreg.registry.conformance;

import static io.autoreg.registry.conformance.Faults.assertFault;
import static io.autoreg.registry.conformance.Faults.assertStatus;
import static io.autoreg.registry.conformance.RegistryHttp.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.testing.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docs/api.md §6 Account limits: the /limits document, resource quotas (limitReached) and the request rate. */
class LimitsConformanceIT extends ConformanceBase {
    private static final int RATE = 40;
    private ConformanceServer quotaServer;
    private int tenants;

    @BeforeAll
    void startAServerWithSmallQuotas() {
        quotaServer = ConformanceServer.startWith("autoreg.server { quotas { service = 3, session = 2, "
                + "configuration-value = 3 }, rate-limit { reads = " + RATE + ", writes = " + RATE
                + ", window = 1h } }");
    }

    @AfterAll
    void stopTheQuotaServer() {
        if (quotaServer != null) {
            quotaServer.close();
        }
    }

    private RegistryHttp quotaTenant() {
        return quotaServer.http().tenant("quota" + (++tenants));
    }

    @Test
    void limitsAnswerTheDefaultQuotasAndTheRate() {
        Answer limits = freshTenant().get("/limits");
        assertStatus(200, limits);
        JsonNode body = limits.json();
        assertEquals(10_000, body.path("resource").path("service").asInt());
        assertEquals(10_000, body.path("resource").path("session").asInt());
        assertEquals(10_000, body.path("resource").path("configuration_value").asInt());
        JsonNode reads = body.path("rate").path("GET /.*");
        assertEquals(300_000, reads.path("limit").asLong(), body::toString);
        assertEquals(1, reads.path("used").asLong(), reads::toString); // this GET
        assertEquals("1.0 minutes", reads.path("window").asText());
        JsonNode writes = body.path("rate").path("POST|PUT|DELETE /.*");
        assertEquals(60_000, writes.path("limit").asLong(), body::toString);
        assertEquals(0, writes.path("used").asLong(), writes::toString);
        assertEquals("1.0 minutes", writes.path("window").asText());
    }

    @Test
    void configuredQuotasAreWhatLimitsAnswer() {
        JsonNode body = quotaTenant().get("/limits").json();
        assertEquals(3, body.path("resource").path("service").asInt());
        assertEquals(2, body.path("resource").path("session").asInt());
        assertEquals(3, body.path("resource").path("configuration_value").asInt());
        assertEquals(RATE, body.path("rate").path("GET /.*").path("limit").asInt());
        assertEquals(
                RATE,
                body.path("rate").path("POST|PUT|DELETE /.*").path("limit").asInt());
    }

    @Test
    void aServiceOverQuotaIsLimitReachedAndADeleteFreesTheSlot() {
        RegistryHttp http = quotaTenant();
        for (int i = 1; i <= 3; i++) {
            createService(http, "svc-q" + i, 60);
        }
        JsonNode fault =
                assertFault(http.post("/services", json("id", "svc-q4", "heartbeat_timeout", 60)), 400, "limitReached");
        assertTrue(Faults.text(fault).contains("quota of 3 services (autoreg.server.quotas.service)"), fault::toString);
        assertStatus(204, http.delete("/services/svc-q1"));
        createService(http, "svc-q4", 60);
    }

    @Test
    void expiredServicesFreeTheirQuota() {
        RegistryHttp http = quotaTenant();
        for (int i = 1; i <= 3; i++) {
            createService(http, "svc-short" + i, 3);
        }
        assertFault(http.post("/services", json("id", "svc-next", "heartbeat_timeout", 60)), 400, "limitReached");
        // This tenant may send only 40 requests, so wait out the deadline plus the 1 s removal allowance
        // instead of polling, then create once.
        long freeBy = System.currentTimeMillis() + 3_000 + 1_000 + 100;
        Await.until(
                java.time.Duration.ofSeconds(6), () -> System.currentTimeMillis() >= freeBy, "the deadlines passed");
        createService(http, "svc-next", 60);
    }

    @Test
    void aSessionOverQuotaIsLimitReached() {
        RegistryHttp http = quotaTenant();
        SessionsConformanceIT.createSession(http, 60);
        SessionsConformanceIT.createSession(http, 60);
        JsonNode fault = assertFault(http.post("/sessions", json("heartbeat_timeout", 60)), 400, "limitReached");
        assertTrue(Faults.text(fault).contains("(autoreg.server.quotas.session)"), fault::toString);
    }

    @Test
    void aNewConfigurationValueOverQuotaIsLimitReachedButOverwritingIsNot() {
        RegistryHttp http = quotaTenant();
        for (String key : new String[] {"key1", "key2", "key3"}) {
            assertStatus(204, http.put("/configuration/" + key, json("value", "v")));
        }
        JsonNode fault = assertFault(http.put("/configuration/key4", json("value", "v")), 400, "limitReached");
        assertTrue(Faults.text(fault).contains("(autoreg.server.quotas.configuration-value)"), fault::toString);
        assertStatus(204, http.put("/configuration/key1", json("value", "changed")));
    }

    @Test
    void quotasAreCountedPerTenant() {
        RegistryHttp first = quotaTenant();
        RegistryHttp second = quotaTenant();
        for (int i = 1; i <= 3; i++) {
            createService(first, "svc-q" + i, 60);
        }
        assertFault(first.post("/services", json("id", "svc-q4", "heartbeat_timeout", 60)), 400, "limitReached");

        // the first tenant's full quota leaves the second's untouched: same ids, its own three slots
        for (int i = 1; i <= 3; i++) {
            createService(second, "svc-q" + i, 60);
        }
        assertFault(second.post("/services", json("id", "svc-q4", "heartbeat_timeout", 60)), 400, "limitReached");
        assertEquals(java.util.List.of("svc-q1", "svc-q2", "svc-q3"), ids(first.get("/services")));
        assertEquals(java.util.List.of("svc-q1", "svc-q2", "svc-q3"), ids(second.get("/services")));
    }

    @Test
    void requestsOverTheRateAreRateLimitReached() {
        RegistryHttp http = quotaTenant();
        int accepted = 0;
        Answer refused = null;
        for (int i = 0; i < RATE + 5 && refused == null; i++) {
            Answer answer = http.get("/services");
            if (answer.status() == 200) {
                accepted++;
            } else {
                refused = answer;
            }
        }
        assertTrue(refused != null, "never limited after " + accepted + " requests");
        // 429 + Retry-After, not the original's 400: the refusal is temporary, and says until when.
        assertFault(refused, 429, "rateLimitReached");
        long retryAfter = Long.parseLong(refused.header("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 3600, refused::toString);
        assertEquals(RATE, accepted);
        assertStatus(200, quotaTenant().get("/services"));
    }
}
