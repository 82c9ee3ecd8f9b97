package io.autoreg.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.registry.support.LocalRegistry;
import io.autoreg.testing.Await;
import io.autoreg.testing.Http;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SessionsConfigurationHttpTest {
    @RegisterExtension
    static final LocalRegistry registry = new LocalRegistry();

    private static List<String> eventTypes(String tenant) {
        List<String> types = new ArrayList<>();
        for (JsonNode e :
                registry.http().get("/v1.0/" + tenant + "/events").json().get("values")) {
            types.add(e.get("type").asText() + ":"
                    + e.path("payload")
                            .path("id")
                            .asText(e.path("payload")
                                    .path("configuration_value_id")
                                    .asText()));
        }
        return types;
    }

    @Test
    void deletingASessionRemovesItsServices() {
        var created = registry.http()
                .post("/v1.0/s1/sessions", "{\"heartbeat_timeout\":30,\"metadata\":{\"region\":\"dfw\"}}");
        assertEquals(201, created.status());
        String location = created.header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        assertTrue(id.matches("se[A-Za-z0-9]{8}"), id);
        var svc = registry.http().post("/v1.0/s1/services", "{\"id\":\"in-session\",\"session_id\":\"" + id + "\"}");
        assertEquals(201, svc.status());
        assertEquals(0, svc.json().size());
        assertEquals(
                id,
                registry.http()
                        .get("/v1.0/s1/services/in-session")
                        .json()
                        .get("session_id")
                        .asText());

        String t0 = created.json().get("token").asText();
        var beat = registry.http().post("/v1.0/s1/sessions/" + id + "/heartbeat", "{\"token\":\"" + t0 + "\"}");
        assertEquals(200, beat.status());
        assertTrue(registry.http()
                .get("/v1.0/s1/sessions/" + id)
                .json()
                .get("last_seen")
                .isNumber());

        assertEquals(204, registry.http().delete("/v1.0/s1/sessions/" + id).status());
        assertEquals(404, registry.http().get("/v1.0/s1/services/in-session").status());
        assertTrue(eventTypes("s1").contains("service.remove:in-session"));
    }

    @Test
    void anExpiredSessionTimesOutItsServices() {
        var created = registry.http().post("/v1.0/s2/sessions", "{\"heartbeat_timeout\":3}");
        String location = created.header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        registry.http().post("/v1.0/s2/services", "{\"id\":\"doomed\",\"session_id\":\"" + id + "\"}");
        Await.until(
                Duration.ofSeconds(6),
                () -> registry.http().get("/v1.0/s2/services/doomed").status() == 404);
        Await.until(Duration.ofSeconds(2), () -> eventTypes("s2").contains("service.timeout:doomed"));
        assertEquals(404, registry.http().get("/v1.0/s2/sessions/" + id).status());
    }

    @Test
    void configurationNamespacesMatchWholeSegmentsAndTheDoubleSlashForm() {
        assertEquals(
                204,
                registry.http()
                        .put("/v1.0/c1/configuration/production/cassandra/listen_ip", "{\"value\":\"10.0.0.1\"}")
                        .status());
        assertEquals(
                204,
                registry.http()
                        .put("/v1.0/c1/configuration//production/cassandra2/listen_ip", "{\"value\":\"10.0.0.2\"}")
                        .status());
        assertEquals(
                204,
                registry.http()
                        .put("/v1.0/c1/configuration/plain_key", "{\"value\":\"v\"}")
                        .status());
        var one = registry.http().get("/v1.0/c1/configuration//production/cassandra/listen_ip");
        assertEquals("/production/cassandra/listen_ip", one.json().get("id").asText());
        var ns = registry.http().get("/v1.0/c1/configuration/production/cassandra/");
        assertEquals(1, ns.json().at("/metadata/count").asInt());
        assertEquals(
                2,
                registry.http()
                        .get("/v1.0/c1/configuration/production/")
                        .json()
                        .at("/metadata/count")
                        .asInt());
        assertEquals(
                3,
                registry.http()
                        .get("/v1.0/c1/configuration")
                        .json()
                        .at("/metadata/count")
                        .asInt());
        assertEquals(
                404,
                registry.http()
                        .get("/v1.0/c1/configuration/production/cassandra")
                        .status());
        assertEquals(
                400,
                registry.http().get("/v1.0/c1/configuration/production/%2fetc").status());
    }

    @Test
    void configurationEventsAreWrittenOnChangeOnly() {
        registry.http().put("/v1.0/c2/configuration/flag", "{\"value\":\"a\"}");
        registry.http().put("/v1.0/c2/configuration/flag", "{\"value\":\"a\"}");
        registry.http().put("/v1.0/c2/configuration/flag", "{\"value\":\"b\"}");
        assertEquals(204, registry.http().delete("/v1.0/c2/configuration/flag").status());
        assertEquals(404, registry.http().delete("/v1.0/c2/configuration/flag").status());
        assertEquals(
                List.of(
                        "configuration_value.update:flag",
                        "configuration_value.update:flag",
                        "configuration_value.remove:flag"),
                eventTypes("c2"));
        var updates = registry.http()
                .get("/v1.0/c2/events?type=configuration_value.update")
                .json()
                .get("values");
        assertTrue(updates.get(0).at("/payload/old_value").isNull());
        assertEquals("a", updates.get(1).at("/payload/old_value").asText());
    }

    @Test
    void aLongPollAnswersWhenAnEventArrives() throws Exception {
        registry.http().put("/v1.0/w1/configuration/first", "{\"value\":\"1\"}");
        String marker =
                registry.http().get("/v1.0/w1/events").json().at("/values/0/id").asText();
        CompletableFuture<Http.Response> poll = CompletableFuture.supplyAsync(
                () -> new Http(registry.server().baseUrl()).get("/v1.0/w1/events?wait=20&marker=" + marker));
        Thread.sleep(300); // give the poll time to park; the answer is awaited below, this only sets up the race
        long started = System.nanoTime();
        registry.http().put("/v1.0/w1/configuration/second", "{\"value\":\"2\"}");
        Http.Response answer = poll.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(System.nanoTime() - started < 5_000_000_000L);
        assertEquals(2, answer.json().at("/metadata/count").asInt());
        assertEquals(400, registry.http().get("/v1.0/w1/events?marker=nope").status());
        assertEquals(
                400, registry.http().get("/v1.0/w1/events?type=service.nope").status());
    }

    @Test
    void limitsAndRegistroAnswer() {
        var limits = registry.http().get("/v1.0/l1/limits").json();
        assertEquals(10_000, limits.at("/resource/service").asInt());
        assertEquals("1.0 minutes", limits.at("/rate/GET ~1.*/window").asText());
        assertEquals(
                201,
                registry.http()
                        .post("/registro/1.0/apps", "{\"name\":\"orders\"}")
                        .status());
        assertEquals(
                409,
                registry.http()
                        .post("/registro/1.0/apps", "{\"name\":\"orders\"}")
                        .status());
        assertEquals(
                201,
                registry.http()
                        .post("/registro/1.0/apps/orders", "{\"id\":\"o-1\",\"ip\":\"10.0.0.5\",\"port\":8080}")
                        .status());
        assertEquals(
                400,
                registry.http()
                        .post("/registro/1.0/apps/orders", "{\"id\":\"o-2\",\"ip\":\"10.0.0.5\"}")
                        .status());
        assertEquals(
                "starting",
                registry.http()
                        .get("/registro/1.0/apps/orders/o-1")
                        .json()
                        .get("status")
                        .asText());
        assertEquals(
                204, registry.http().put("/registro/1.0/apps/orders/o-1", null).status());
        assertEquals(
                "up",
                registry.http()
                        .get("/registro/1.0/apps/orders")
                        .json()
                        .at("/instances/0/status")
                        .asText());
        assertEquals(
                204, registry.http().delete("/registro/1.0/apps/orders/o-1").status());
        assertEquals(
                403, registry.http().put("/registro/1.0/apps/orders/o-1", null).status());
        assertTrue(registry.http().get("/").raw().body().contains("<html"));
    }
}
