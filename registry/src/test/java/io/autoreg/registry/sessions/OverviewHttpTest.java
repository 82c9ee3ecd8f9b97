package io.autoreg.registry.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.gson.Gson;
import com.google.gson.annotations.SerializedName;
import io.autoreg.registry.support.LocalRegistry;
import io.autoreg.testing.Http;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GET /v1.0/{tenant}/views/overview, the session generation's overview: one item per live session,
 * {@code {"session":{…},"services":[…]}}, in the list envelope. The 0.1.x Node client reads {@code values} of
 * it ({@code views.getOverview}); the Java client binds it with Gson to a list of {@code Overview} objects.
 */
class OverviewHttpTest {
    @RegisterExtension
    static final LocalRegistry registry = new LocalRegistry();

    private static String session(String tenant, String dc) {
        Http.Response r = registry.http()
                .post(
                        "/v1.0/" + tenant + "/sessions",
                        "{\"heartbeat_timeout\":30,\"metadata\":{\"dc\":\"" + dc + "\"}}");
        assertEquals(201, r.status());
        String location = r.header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private static void service(String tenant, String id, String sessionId) {
        assertEquals(
                201,
                registry.http()
                        .post(
                                "/v1.0/" + tenant + "/services",
                                "{\"id\":\"" + id + "\",\"session_id\":\"" + sessionId + "\",\"tags\":[\"www\"]}")
                        .status());
    }

    @Test
    void eachLiveSessionIsListedWithTheServicesRegisteredIntoIt() {
        String a = session("ov1", "dfw");
        String b = session("ov1", "ord");
        String empty = session("ov1", "lon");
        service("ov1", "api-2", a);
        service("ov1", "api-1", a);
        service("ov1", "db-1", b);
        assertEquals(
                201,
                registry.http()
                        .post("/v1.0/ov1/services", "{\"id\":\"standalone\",\"heartbeat_timeout\":30}")
                        .status());

        JsonNode page = registry.http().get("/v1.0/ov1/views/overview").json();
        List<String> sessionIds = new java.util.ArrayList<>();
        page.path("values")
                .forEach(item -> sessionIds.add(item.at("/session/id").asText()));
        assertEquals(java.util.stream.Stream.of(a, b, empty).sorted().toList(), sessionIds);
        for (JsonNode item : page.path("values")) {
            String id = item.at("/session/id").asText();
            List<String> services = new java.util.ArrayList<>();
            item.path("services").forEach(s -> services.add(s.path("id").asText()));
            assertEquals(
                    id.equals(a) ? List.of("api-1", "api-2") : id.equals(b) ? List.of("db-1") : List.of(), services);
            item.path("services")
                    .forEach(s -> assertEquals(id, s.path("session_id").asText()));
            assertEquals(30, item.at("/session/heartbeat_timeout").asInt());
        }
        assertEquals(3, page.at("/metadata/count").asInt());
        assertTrue(page.at("/metadata/next_marker").isNull());
    }

    @Test
    void itIsPaginatedOverSessionsAndADeletedSessionLeavesIt() {
        String first = session("ov2", "dfw");
        String second = session("ov2", "ord");
        String low = first.compareTo(second) < 0 ? first : second;
        String high = low.equals(first) ? second : first;
        service("ov2", "svc-1", high);

        JsonNode page = registry.http().get("/v1.0/ov2/views/overview?limit=1").json();
        assertEquals(low, page.at("/values/0/session/id").asText());
        assertEquals(high, page.at("/metadata/next_marker").asText());
        String next = page.at("/metadata/next_href").asText();
        assertTrue(next.endsWith("/v1.0/ov2/views/overview?limit=1&marker=" + high), next);
        JsonNode second2 = registry.http()
                .get("/v1.0/ov2/views/overview?limit=1&marker=" + high)
                .json();
        assertEquals("svc-1", second2.at("/values/0/services/0/id").asText());

        assertEquals(204, registry.http().delete("/v1.0/ov2/sessions/" + high).status());
        JsonNode after = registry.http().get("/v1.0/ov2/views/overview").json();
        assertEquals(1, after.path("values").size());
        assertEquals(low, after.at("/values/0/session/id").asText());
    }

    @Test
    void badRequestsGetTheFaultBody() {
        assertEquals(
                "invalidLimit",
                registry.http()
                        .get("/v1.0/ov3/views/overview?limit=0")
                        .json()
                        .path("type")
                        .asText());
        assertEquals(
                400,
                registry.http()
                        .get("/v1.0/ov3/views/overview?marker=not%20an%20id")
                        .status());
        assertEquals(405, registry.http().post("/v1.0/ov3/views/overview", "{}").status());
        assertEquals(404, registry.http().get("/v1.0/ov3/views/other").status());
        assertEquals(404, registry.http().get("/v1.0/ov3/views").status());
    }

    /** The Java client's view classes (ViewsClient → OverviewContainer → Overview), as Gson binds them. */
    static final class JavaClientOverviewContainer {
        List<JavaClientOverview> values;
    }

    static final class JavaClientOverview {
        JavaClientSession session;
        List<JavaClientService> services;
    }

    static final class JavaClientSession {
        String id;

        @SerializedName("heartbeat_timeout")
        Integer heartbeatTimeout;

        Map<String, String> metadata;
    }

    static final class JavaClientService {
        String id;

        @SerializedName("session_id")
        String sessionId;

        List<String> tags;
        Map<String, String> metadata;
    }

    @Test
    void theJavaClientBindsTheOverview() {
        String s = session("ov4", "dfw");
        service("ov4", "api-1", s);
        JavaClientOverviewContainer container = new Gson()
                .fromJson(
                        registry.http().get("/v1.0/ov4/views/overview").raw().body(),
                        JavaClientOverviewContainer.class);
        assertEquals(1, container.values.size());
        JavaClientOverview overview = container.values.get(0);
        assertEquals(s, overview.session.id);
        assertEquals(Integer.valueOf(30), overview.session.heartbeatTimeout);
        assertEquals(Map.of("dc", "dfw"), overview.session.metadata);
        assertEquals("api-1", overview.services.get(0).id);
        assertEquals(s, overview.services.get(0).sessionId);
        assertEquals(List.of("www"), overview.services.get(0).tags);
        assertEquals(Map.of(), overview.services.get(0).metadata);
    }
}
