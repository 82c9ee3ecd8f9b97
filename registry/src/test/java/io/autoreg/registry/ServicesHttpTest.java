package io.autoreg.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.registry.support.LocalRegistry;
import io.autoreg.testing.Await;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ServicesHttpTest {
    @RegisterExtension
    static final LocalRegistry registry = new LocalRegistry();

    @Test
    void createHeartbeatAndReadBackAService() {
        var created = registry.http()
                .post(
                        "/v1.0/t1/services",
                        "{\"id\":\"web-1\",\"heartbeat_timeout\":30,\"tags\":[\"web\"],"
                                + "\"metadata\":{\"port\":\"8080\"}}");
        assertEquals(201, created.status());
        assertEquals(registry.server().baseUrl() + "/v1.0/t1/services/web-1", created.header("Location"));
        String t0 = created.json().get("token").asText();
        assertEquals(36, t0.length());

        var beat = registry.http().post("/v1.0/t1/services/web-1/heartbeat", "{\"token\":\"" + t0 + "\"}");
        assertEquals(200, beat.status());
        String t1 = beat.json().get("token").asText();
        assertNotEquals(t0, t1);

        var reused = registry.http().post("/v1.0/t1/services/web-1/heartbeat", "{\"token\":\"" + t0 + "\"}");
        assertEquals(404, reused.status());
        assertTrue(reused.json().get("details").asText().contains("HeartbeatMarker"));

        var got = registry.http().get("/v1.0/t1/services/web-1");
        assertEquals(200, got.status());
        assertEquals("8080", got.json().at("/metadata/port").asText());
        assertTrue(got.json().get("last_seen").isNumber());
        assertNotNull(got.header("X-Response-Id"));
    }

    @Test
    void aTokenIsValidOnlyForTheServiceItWasIssuedTo() {
        String a = registry.http()
                .post("/v1.0/t2/services", "{\"id\":\"svc-a\",\"heartbeat_timeout\":30}")
                .json()
                .get("token")
                .asText();
        registry.http().post("/v1.0/t2/services", "{\"id\":\"svc-b\",\"heartbeat_timeout\":30}");
        assertEquals(
                404,
                registry.http()
                        .post("/v1.0/t2/services/svc-b/heartbeat", "{\"token\":\"" + a + "\"}")
                        .status());
        assertEquals(
                200,
                registry.http()
                        .post("/v1.0/t2/services/svc-a/heartbeat", "{\"token\":\"" + a + "\"}")
                        .status());
    }

    @Test
    void deleteInvalidatesTheTokenOfARecreatedId() {
        String old = registry.http()
                .post("/v1.0/t3/services", "{\"id\":\"again\",\"heartbeat_timeout\":30}")
                .json()
                .get("token")
                .asText();
        assertEquals(204, registry.http().delete("/v1.0/t3/services/again").status());
        assertEquals(
                201,
                registry.http()
                        .post("/v1.0/t3/services", "{\"id\":\"again\",\"heartbeat_timeout\":30}")
                        .status());
        assertEquals(
                404,
                registry.http()
                        .post("/v1.0/t3/services/again/heartbeat", "{\"token\":\"" + old + "\"}")
                        .status());
    }

    @Test
    void aDuplicateIdIsServiceWithThisIdExists() {
        registry.http().post("/v1.0/t4/services", "{\"id\":\"dup\",\"heartbeat_timeout\":30}");
        var again = registry.http().post("/v1.0/t4/services", "{\"id\":\"dup\",\"heartbeat_timeout\":30}");
        assertEquals(400, again.status());
        assertEquals("serviceWithThisIdExists", again.json().get("type").asText());
    }

    @Test
    void listsPageWithInclusiveMarkersAndNextHref() {
        for (String id : new String[] {"p-1", "p-2", "p-3"}) {
            registry.http()
                    .post("/v1.0/t5/services", "{\"id\":\"" + id + "\",\"heartbeat_timeout\":30,\"tags\":[\"a b\"]}");
        }
        var page = registry.http().get("/v1.0/t5/services?limit=2");
        assertEquals(2, page.json().at("/metadata/count").asInt());
        assertEquals("p-3", page.json().at("/metadata/next_marker").asText());
        String href = page.json().at("/metadata/next_href").asText();
        var next =
                registry.http().get(href.substring(registry.server().baseUrl().length()));
        assertEquals("p-3", next.json().at("/values/0/id").asText());
        assertTrue(next.json().at("/metadata/next_href").isNull());
        assertEquals(
                3,
                registry.http()
                        .get("/v1.0/t5/services?tag=a%20b")
                        .json()
                        .at("/metadata/count")
                        .asInt());
        assertEquals(
                "invalidLimit",
                registry.http()
                        .get("/v1.0/t5/services?limit=1001")
                        .json()
                        .get("type")
                        .asText());
    }

    @Test
    void aSilentServiceExpiresWithExactlyOneTimeoutEvent() {
        registry.http().post("/v1.0/t6/services", "{\"id\":\"silent\",\"heartbeat_timeout\":3}");
        long created = System.currentTimeMillis();
        Await.until(
                Duration.ofSeconds(6),
                () -> registry.http().get("/v1.0/t6/services/silent").status() == 404);
        assertTrue(System.currentTimeMillis() - created >= 2900, "expired too early");
        // Reads hide it from its deadline on; the removal and its event follow within a second.
        Await.until(Duration.ofMillis(1500), () -> timeouts("t6", "silent") > 0);
        long timeouts = timeouts("t6", "silent");
        assertEquals(1, timeouts);
    }

    @Test
    void bodiesOf5000BytesAreReadAndLargerOnesAre413() {
        String base = "{\"id\":\"size-check\",\"heartbeat_timeout\":30,\"metadata\":{\"pad\":\"\"}}";
        String exactly5000 = base.replace("\"pad\":\"\"", "\"pad\":\"" + "x".repeat(5000 - base.length()) + "\"");
        assertEquals(5000, exactly5000.length());
        // 5000 bytes are read (and then refused on their own merits: a value of > 255 characters)
        var read = registry.http().post("/v1.0/t8/services", exactly5000);
        assertEquals(400, read.status());
        assertEquals("badRequest", read.json().get("type").asText());
        var tooLarge = registry.http().post("/v1.0/t8/services", exactly5000 + " ");
        assertEquals(413, tooLarge.status());
        assertEquals("requestTooLargeError", tooLarge.json().get("type").asText());
        assertEquals(200, registry.http().get("/healthz").status());
    }

    @Test
    void aListNeverShowsAServiceAfterItsDeadlineEvenFromTheCache() {
        registry.http().post("/v1.0/t9/services", "{\"id\":\"short-lived\",\"heartbeat_timeout\":3}");
        long deadline = System.currentTimeMillis() + 3000;
        while (System.currentTimeMillis() < deadline + 300) {
            long before = System.currentTimeMillis();
            int count = registry.http()
                    .get("/v1.0/t9/services")
                    .json()
                    .at("/metadata/count")
                    .asInt();
            if (before > deadline + 50) {
                assertEquals(0, count, "listed after its deadline");
            }
        }
    }

    private static long timeouts(String tenant, String id) {
        long n = 0;
        for (var e : registry.http().get("/v1.0/" + tenant + "/events").json().get("values")) {
            if (e.get("type").asText().equals("service.timeout")
                    && e.at("/payload/id").asText().equals(id)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void faultsCarryTheResponseIdAndUnknownUrlsAre404() {
        var unknown = registry.http().get("/nowhere");
        assertEquals(404, unknown.status());
        assertEquals(
                unknown.header("X-Response-Id"), unknown.json().get("txnId").asText());
        assertEquals(
                405, registry.http().send("PATCH", "/v1.0/t7/services", null).status());
        var unknownField =
                registry.http().post("/v1.0/t7/services", "{\"id\":\"abc\",\"heartbeat_timeout\":30,\"colour\":1}");
        assertEquals(400, unknownField.status());
        assertTrue(unknownField.json().get("message").asText().contains("colour"));
        assertFalse(registry.http().get("/healthz").json().isNull());
    }

    @Test
    void metricsCountRequestsByRouteAndStatusInPrometheusText() {
        registry.http().post("/v1.0/t10/services", "{\"id\":\"metered\",\"heartbeat_timeout\":30}");
        var metrics = registry.http().get("/metrics");
        assertEquals(200, metrics.status());
        assertTrue(metrics.header("Content-Type").startsWith("text/plain; version=0.0.4"));
        String text = metrics.raw().body();
        assertTrue(text.contains("autoreg_requests_total{route=\"/v1.0/{tenant}/services\",status=\"201\"}"), text);
        assertTrue(text.matches("(?s).*\nautoreg_live_services [1-9][0-9]*(\\.0)?\n.*"), text);
        assertTrue(text.contains("# TYPE autoreg_store_fsyncs_total counter"), text);
        // Prometheus sorts labels by name; their order carries no meaning.
        assertTrue(
                text.matches("(?s).*\nautoreg_build_info\\{component=\"registry\",java_version=\""
                        + java.util.regex.Pattern.quote(System.getProperty("java.version"))
                        + "\",version=\"[^\"]+\"} 1(\\.0)?\n.*"),
                text);
    }
}
