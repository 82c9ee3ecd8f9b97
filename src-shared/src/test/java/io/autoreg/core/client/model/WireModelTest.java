package io.autoreg.core.client.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The records render exactly the JSON of docs/api.md, so the registry server can answer with them:
 * requests leave nulls out, responses keep the nulls docs/api.md shows.
 */
class WireModelTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static void assertRenders(String expected, Object value) throws Exception {
        assertEquals(JSON.readTree(expected), JSON.readTree(JSON.writeValueAsString(value)));
    }

    @Test
    void aServiceShowsEitherItsTimeoutOrItsSessionAndAlwaysLastSeen() throws Exception {
        assertRenders(
                "{\"id\":\"dfw1-db1\",\"heartbeat_timeout\":30,\"tags\":[\"db\"],\"metadata\":{},\"last_seen\":null}",
                new Service("dfw1-db1", 30, null, List.of("db"), Map.of(), null));
        assertRenders(
                "{\"id\":\"dfw1-db2\",\"session_id\":\"seAAAAAAAA\",\"tags\":[],\"metadata\":{\"a\":\"b\"},\"last_seen\":5}",
                new Service("dfw1-db2", null, "seAAAAAAAA", List.of(), Map.of("a", "b"), 5L));
    }

    @Test
    void theListEnvelopeKeepsItsNullMarkers() throws Exception {
        assertRenders(
                "{\"values\":[],\"metadata\":{\"count\":0,\"limit\":100,\"marker\":null,\"next_marker\":null,\"next_href\":null}}",
                new Page<>(List.of(), new PageMetadata(0, 100, null, null, null)));
    }

    @Test
    void requestBodiesLeaveOutWhatIsNotSet() throws Exception {
        assertRenders(
                "{\"id\":\"a-1\",\"heartbeat_timeout\":30,\"tags\":[],\"metadata\":{}}",
                ServiceCreate.withHeartbeat("a-1", 30, List.of(), Map.of()));
        assertRenders("{\"metadata\":{\"k\":\"v\"}}", new ServiceUpdate(null, Map.of("k", "v"), null));
        assertRenders("{\"heartbeat_timeout\":60}", new SessionCreate(60, null));
        assertRenders("{\"value\":\"x\"}", new ConfigurationValue(null, "x"));
        assertRenders("{}", new Token(null));
        assertRenders(
                "{\"auth\":{\"RAX-KSKEY:apiKeyCredentials\":{\"username\":\"u\",\"apiKey\":\"k\"}}}",
                AuthRequest.apiKey("u", "k"));
    }

    @Test
    void faultsAndTokensRoundTrip() throws Exception {
        Fault fault = new Fault(
                "notFoundError",
                404,
                "Object does not exist",
                "Object \"Service\" with key \"x\" does not exist",
                "r-1");
        assertEquals(fault, JSON.readValue(JSON.writeValueAsString(fault), Fault.class));
        AuthResponse answer = JSON.readValue(
                "{\"access\":{\"token\":{\"id\":\"t\",\"expires\":\"2030-01-01T00:00:00Z\","
                        + "\"tenant\":{\"id\":\"7777\"}}}}",
                AuthResponse.class);
        assertEquals("7777", answer.access().token().tenant().id());
        Event event = JSON.readValue(
                "{\"id\":\"e1\",\"timestamp\":7,\"type\":\"configuration_value.update\","
                        + "\"payload\":{\"configuration_value_id\":\"k\",\"old_value\":null,\"new_value\":\"v\"}}",
                Event.class);
        assertEquals("v", event.payload().path("new_value").asText());
        assertRenders(
                "{\"resource\":{\"service\":200},\"rate\":{\"/.*\":{\"limit\":1,\"used\":0,\"window\":\"24.0 hours\"}}}",
                new Limits(Map.of("service", 200), Map.of("/.*", new Limits.Rate(1, 0, "24.0 hours"))));
    }
}
