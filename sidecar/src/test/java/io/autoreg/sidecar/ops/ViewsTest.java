package io.autoreg.sidecar.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ViewsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long NOW = 1_000_000_000L;

    private static JsonNode service(String json) throws IOException {
        return JSON.readTree(json);
    }

    @Test
    void theAddressIsHostAndPortFromTheRegistrarsMetadata() throws IOException {
        assertEquals("10.0.0.5:8080", Views.address(service("{\"host\":\"10.0.0.5\",\"port\":\"8080\"}")));
        assertEquals("[fd00::5]:8080", Views.address(service("{\"host\":\"fd00::5\",\"port\":\"8080\"}")));
        assertEquals("10.0.0.5", Views.address(service("{\"host\":\"10.0.0.5\",\"port\":\"0\"}")));
        assertEquals("", Views.address(service("{}")));
    }

    @Test
    void theStatusSaysWhetherTheHeartbeatIsOnTime() throws IOException {
        assertEquals(
                "new", Views.status(service("{\"heartbeat_timeout\":30,\"last_seen\":null,\"metadata\":{}}"), NOW));
        assertEquals(
                "passing",
                Views.status(
                        service("{\"heartbeat_timeout\":30,\"last_seen\":" + (NOW - 24_000) + ",\"metadata\":{}}"),
                        NOW));
        assertEquals(
                "late",
                Views.status(
                        service("{\"heartbeat_timeout\":30,\"last_seen\":" + (NOW - 27_001) + ",\"metadata\":{}}"),
                        NOW));
        assertEquals(
                "late",
                Views.status(
                        service("{\"heartbeat_timeout\":5,\"last_seen\":" + (NOW - 4_001) + ",\"metadata\":{}}"), NOW));
        assertEquals(
                "passing",
                Views.status(
                        service("{\"session_id\":\"se1\",\"last_seen\":" + (NOW - 500_000) + ",\"metadata\":{}}"),
                        NOW));
        assertEquals(
                "maint",
                Views.status(
                        service(
                                "{\"heartbeat_timeout\":30,\"last_seen\":null,\"metadata\":{\"maintenance\":\"disk swap\"}}"),
                        NOW));
    }
}
