package io.autoreg.registry.conformance;

import static io.autoreg.registry.conformance.Faults.assertFault;
import static io.autoreg.registry.conformance.Faults.assertStatus;
import static io.autoreg.registry.conformance.RegistryHttp.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** docs/api.md §3 field rules at their edges: one step inside is accepted, one step outside is a 400. */
class ServiceValidationConformanceIT extends ConformanceBase {

    @ParameterizedTest(name = "an id of {0} characters is accepted")
    @ValueSource(ints = {3, 65})
    void idsOfThreeToSixtyFiveCharactersAreAccepted(int length) {
        RegistryHttp http = freshTenant();
        String id = "a".repeat(length);
        createService(http, id, 30);
        assertStatus(200, http.get("/services/" + id));
    }

    @ParameterizedTest(name = "an id of {0} characters is refused")
    @ValueSource(ints = {2, 66})
    void idsOutsideThreeToSixtyFiveCharactersAreAValidationError(int length) {
        RegistryHttp http = freshTenant();
        JsonNode fault = assertFault(
                http.post("/services", json("id", "b".repeat(length), "heartbeat_timeout", 30)), 400, "badRequest");
        assertEquals("Validation error for key 'id'", fault.path("message").asText());
        assertTrue(fault.path("details").asText().contains("(3..65)"), fault::toString);
    }

    @ParameterizedTest(name = "the id \"{0}\" is refused")
    @ValueSource(strings = {"abc def", "abc/def", "abc:def", "grüße", "abc+def", "a\u202Ebc", ""})
    void idsWithCharactersOutsideTheRuleAreAValidationError(String id) {
        RegistryHttp http = freshTenant();
        JsonNode fault =
                assertFault(http.post("/services", json("id", id, "heartbeat_timeout", 30)), 400, "badRequest");
        assertEquals("Validation error for key 'id'", fault.path("message").asText());
    }

    @Test
    void idsMayUseLettersDigitsUnderscoreDashAndDot() {
        RegistryHttp http = freshTenant();
        createService(http, "Az0_-.9", 30);
        assertStatus(200, http.get("/services/Az0_-.9"));
    }

    @ParameterizedTest(name = "a heartbeat_timeout of {0} is accepted")
    @ValueSource(ints = {3, 120})
    void heartbeatTimeoutsFromThreeToOneHundredTwentyAreAccepted(int timeout) {
        RegistryHttp http = freshTenant();
        createService(http, "svc-timeout", timeout);
        assertEquals(
                timeout,
                http.get("/services/svc-timeout")
                        .json()
                        .path("heartbeat_timeout")
                        .asInt());
    }

    @ParameterizedTest(name = "a heartbeat_timeout of {0} is refused")
    @ValueSource(strings = {"2", "121", "0", "-1", "\"30\"", "30.5", "null", "true", "99999999999999999999"})
    void heartbeatTimeoutsOutsideTheRangeOrNotIntegersAreAValidationError(String raw) {
        RegistryHttp http = freshTenant();
        assertFault(
                http.post("/services", "{\"id\":\"svc-bad-timeout\",\"heartbeat_timeout\":" + raw + "}"),
                400,
                "badRequest");
        assertStatus(404, http.get("/services/svc-bad-timeout"));
    }

    @Test
    void tenTagsAreAcceptedAndElevenAreNot() {
        RegistryHttp http = freshTenant();
        assertStatus(201, http.post("/services", json("id", "svc-10tags", "heartbeat_timeout", 30, "tags", tags(10))));
        assertEquals(10, http.get("/services/svc-10tags").json().path("tags").size());
        assertFault(
                http.post("/services", json("id", "svc-11tags", "heartbeat_timeout", 30, "tags", tags(11))),
                400,
                "badRequest");
        assertFault(http.put("/services/svc-10tags", json("tags", tags(11))), 400, "badRequest");
        assertEquals(10, http.get("/services/svc-10tags").json().path("tags").size());
    }

    @Test
    void aTagOf55CharactersIsAcceptedAndOf56IsNot() {
        RegistryHttp http = freshTenant();
        assertStatus(
                201,
                http.post(
                        "/services",
                        json("id", "svc-tag55", "heartbeat_timeout", 30, "tags", List.of("t".repeat(55)))));
        assertFault(
                http.post(
                        "/services", json("id", "svc-tag56", "heartbeat_timeout", 30, "tags", List.of("t".repeat(56)))),
                400,
                "badRequest");
        assertFault(
                http.post("/services", json("id", "svc-tag0", "heartbeat_timeout", 30, "tags", List.of(""))),
                400,
                "badRequest");
    }

    @Test
    void tagsMustBeAnArrayOfStrings() {
        RegistryHttp http = freshTenant();
        assertFault(
                http.post("/services", "{\"id\":\"svc-tagtype\",\"heartbeat_timeout\":30,\"tags\":\"web\"}"),
                400,
                "badRequest");
        assertFault(
                http.post("/services", "{\"id\":\"svc-tagtype\",\"heartbeat_timeout\":30,\"tags\":[1,2]}"),
                400,
                "badRequest");
        assertFault(
                http.post("/services", "{\"id\":\"svc-tagtype\",\"heartbeat_timeout\":30,\"tags\":[null]}"),
                400,
                "badRequest");
    }

    @Test
    void twentyMetadataPairsAreAcceptedAndTwentyOneAreNot() {
        RegistryHttp http = freshTenant();
        assertStatus(
                201,
                http.post("/services", json("id", "svc-20meta", "heartbeat_timeout", 30, "metadata", metadata(20))));
        assertEquals(
                20, http.get("/services/svc-20meta").json().path("metadata").size());
        assertFault(
                http.post("/services", json("id", "svc-21meta", "heartbeat_timeout", 30, "metadata", metadata(21))),
                400,
                "badRequest");
        assertFault(http.put("/services/svc-20meta", json("metadata", metadata(21))), 400, "badRequest");
    }

    @Test
    void metadataKeysAndValuesOf255CharactersAreAcceptedAnd256AreNot() {
        RegistryHttp http = freshTenant();
        assertStatus(
                201,
                http.post(
                        "/services",
                        json(
                                "id",
                                "svc-m255",
                                "heartbeat_timeout",
                                30,
                                "metadata",
                                Map.of("k".repeat(255), "v".repeat(255)))));
        assertFault(
                http.post(
                        "/services",
                        json("id", "svc-mk256", "heartbeat_timeout", 30, "metadata", Map.of("k".repeat(256), "v"))),
                400,
                "badRequest");
        assertFault(
                http.post(
                        "/services",
                        json("id", "svc-mv256", "heartbeat_timeout", 30, "metadata", Map.of("k", "v".repeat(256)))),
                400,
                "badRequest");
    }

    @Test
    void metadataKeysAndValuesMustBeNonEmptyStrings() {
        RegistryHttp http = freshTenant();
        assertFault(
                http.post("/services", json("id", "svc-m0", "heartbeat_timeout", 30, "metadata", Map.of("", "v"))),
                400,
                "badRequest");
        assertFault(
                http.post("/services", json("id", "svc-m0", "heartbeat_timeout", 30, "metadata", Map.of("k", ""))),
                400,
                "badRequest");
        assertFault(
                http.post("/services", "{\"id\":\"svc-m0\",\"heartbeat_timeout\":30,\"metadata\":{\"k\":1}}"),
                400,
                "badRequest");
        assertFault(
                http.post("/services", "{\"id\":\"svc-m0\",\"heartbeat_timeout\":30,\"metadata\":[\"k\"]}"),
                400,
                "badRequest");
        assertStatus(404, http.get("/services/svc-m0"));
    }

    @Test
    void theIdIsRequired() {
        RegistryHttp http = freshTenant();
        assertFault(http.post("/services", json("heartbeat_timeout", 30)), 400, "badRequest");
        assertFault(http.post("/services", "{\"id\":null,\"heartbeat_timeout\":30}"), 400, "badRequest");
        assertFault(http.post("/services", "{\"id\":123,\"heartbeat_timeout\":30}"), 400, "badRequest");
    }

    static List<String> tags(int count) {
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tags.add("tag" + i);
        }
        return tags;
    }

    static Map<String, String> metadata(int pairs) {
        Map<String, String> metadata = new LinkedHashMap<>();
        for (int i = 0; i < pairs; i++) {
            metadata.put("key" + i, "value" + i);
        }
        return metadata;
    }
}
