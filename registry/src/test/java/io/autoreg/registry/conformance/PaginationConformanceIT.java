package io.autoreg.registry.conformance;

import static io.autoreg.registry.conformance.Faults.assertFault;
import static io.autoreg.registry.conformance.Faults.assertStatus;
import static io.autoreg.registry.conformance.RegistryHttp.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** docs/api.md §1 Lists and pagination: the envelope, inclusive markers, next_marker/next_href, limit edges. */
class PaginationConformanceIT extends ConformanceBase {

    private RegistryHttp tenantWithFiveServices() {
        RegistryHttp http = freshTenant();
        for (String id : List.of("svc-e", "svc-c", "svc-a", "svc-d", "svc-b")) {
            assertStatus(201, http.post("/services", json("id", id, "heartbeat_timeout", 60, "tags", List.of("all"))));
        }
        return http;
    }

    @Test
    void aPageNamesTheFirstItemOfTheNextPageAsNextMarkerAndNextHref() {
        RegistryHttp http = tenantWithFiveServices();
        Answer page = http.get("/services?limit=2");
        assertEquals(List.of("svc-a", "svc-b"), ids(page));
        JsonNode meta = page.json().path("metadata");
        assertEquals(2, meta.path("count").asInt());
        assertEquals(2, meta.path("limit").asInt());
        assertTrue(meta.path("marker").isNull(), meta::toString);
        assertEquals("svc-c", meta.path("next_marker").asText());
        String href = meta.path("next_href").asText();
        assertTrue(href.startsWith("http://"), href);
        assertTrue(href.endsWith(http.path("/services?limit=2&marker=svc-c")), href);
    }

    @Test
    void followingNextHrefWalksEveryItemOnceAndTheLastPageHasNoNext() {
        RegistryHttp http = tenantWithFiveServices();
        Answer page = http.get("/services?limit=2");
        assertEquals(List.of("svc-a", "svc-b"), ids(page));
        page = follow(http, page);
        assertEquals(List.of("svc-c", "svc-d"), ids(page));
        assertEquals("svc-c", page.json().path("metadata").path("marker").asText());
        page = follow(http, page);
        assertEquals(List.of("svc-e"), ids(page));
        JsonNode meta = page.json().path("metadata");
        assertEquals(1, meta.path("count").asInt());
        assertTrue(meta.path("next_marker").isNull() && meta.path("next_href").isNull(), meta::toString);
    }

    @Test
    void aFullLastPageHasNoNextMarker() {
        RegistryHttp http = freshTenant();
        for (String id : List.of("svc-1", "svc-2", "svc-3", "svc-4")) {
            createService(http, id, 60);
        }
        Answer last = http.get("/services?limit=2&marker=svc-3");
        assertEquals(List.of("svc-3", "svc-4"), ids(last));
        assertTrue(last.json().path("metadata").path("next_marker").isNull(), last::toString);
        assertTrue(last.json().path("metadata").path("next_href").isNull(), last::toString);
    }

    @Test
    void theMarkerIsInclusiveAndNeedNotExist() {
        RegistryHttp http = tenantWithFiveServices();
        assertEquals(List.of("svc-b", "svc-c"), ids(http.get("/services?limit=2&marker=svc-b")));
        assertEquals(List.of("svc-c", "svc-d"), ids(http.get("/services?limit=2&marker=svc-bb")));
        assertEquals(List.of(), ids(http.get("/services?marker=svc-z")));
        assertEquals(
                "svc-bb",
                http.get("/services?marker=svc-bb")
                        .json()
                        .path("metadata")
                        .path("marker")
                        .asText());
    }

    @Test
    void nextHrefKeepsTheTagFilter() {
        RegistryHttp http = tenantWithFiveServices();
        createService(http, "svc-bz-untagged", 60);
        Answer page = http.get("/services?tag=all&limit=2");
        String href = page.json().path("metadata").path("next_href").asText();
        assertTrue(href.contains("tag=all") && href.contains("marker=svc-c") && href.contains("limit=2"), href);
        assertEquals(List.of("svc-c", "svc-d"), ids(follow(http, page)));
    }

    @ParameterizedTest(name = "limit={0} is accepted")
    @ValueSource(ints = {1, 1000})
    void limitsFromOneToAThousandAreAccepted(int limit) {
        RegistryHttp http = tenantWithFiveServices();
        Answer page = http.get("/services?limit=" + limit);
        assertStatus(200, page);
        assertEquals(limit, page.json().path("metadata").path("limit").asInt());
        assertEquals(Math.min(limit, 5), ids(page).size());
    }

    @ParameterizedTest(name = "limit={0} is refused with the range message")
    @ValueSource(ints = {0, 1001, -1})
    void limitsOutsideOneToAThousandAreInvalid(int limit) {
        RegistryHttp http = freshTenant();
        JsonNode fault = assertFault(http.get("/services?limit=" + limit), 400, "invalidLimit");
        assertEquals(
                "Invalid limit " + limit + ". Minimum limit is 1 and maximum limit is 1000.",
                fault.path("message").asText());
    }

    @ParameterizedTest(name = "limit={0} is not a number")
    @ValueSource(strings = {"x", "1.5", "", "99999999999999999999"})
    void aLimitThatIsNotANumberIsInvalid(String limit) {
        RegistryHttp http = freshTenant();
        Answer answer = http.get("/services?limit=" + limit);
        JsonNode fault = assertFault(answer, 400, "invalidLimit");
        assertTrue(
                fault.path("message").asText().startsWith("Limit must be a number")
                        || fault.path("message").asText().startsWith("Invalid limit"),
                fault::toString);
    }

    @Test
    void theSameLimitRulesHoldForSessionsConfigurationAndEvents() {
        RegistryHttp http = freshTenant();
        for (String list : List.of("/sessions", "/configuration", "/events")) {
            assertFault(http.get(list + "?limit=0"), 400, "invalidLimit");
            assertFault(http.get(list + "?limit=1001"), 400, "invalidLimit");
            assertFault(http.get(list + "?limit=x"), 400, "invalidLimit");
            assertStatus(200, http.get(list + "?limit=1000"));
        }
    }

    private static Answer follow(RegistryHttp http, Answer page) {
        String href = page.json().path("metadata").path("next_href").asText();
        Answer next = http.send(
                "GET",
                URI.create(http.root() + URI.create(href).getRawPath() + "?"
                        + URI.create(href).getRawQuery()),
                null,
                null,
                Map.of());
        assertStatus(200, next);
        return next;
    }
}
