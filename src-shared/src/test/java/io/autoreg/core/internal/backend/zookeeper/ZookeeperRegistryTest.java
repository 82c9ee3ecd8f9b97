package io.autoreg.core.internal.backend.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.core.internal.settings.RegistrySettings;
import io.autoreg.core.internal.settings.SettingsException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The node layout and data; the real ZooKeeper runs in backends-it. */
class ZookeeperRegistryTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ServiceInstance ORDERS = new ServiceInstance(
            "orders-10.0.0.5-8080", "orders", "10.0.0.5", 8080, List.of("blue"), Map.of("version", "1.2"));

    private static RegistrySettings settings(Map<String, String> options) {
        return new RegistrySettings(
                "zookeeper",
                "127.0.0.1:2181",
                null,
                null,
                null,
                null,
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                new RegistrySettings.TlsSettings(null, null, null),
                options);
    }

    @Test
    void theNodeIsBasePathNameId() {
        assertEquals("/services/orders/orders-10.0.0.5-8080", new ZookeeperRegistry(settings(Map.of())).pathOf(ORDERS));
        assertEquals(
                "/sd/orders/orders-10.0.0.5-8080",
                new ZookeeperRegistry(settings(Map.of("base-path", "/sd/"))).pathOf(ORDERS));
    }

    @Test
    void theDataIsCuratorsInstanceJsonWithSpringCloudsPayload() throws Exception {
        JsonNode node = MAPPER.readTree(CuratorInstanceJson.of(ORDERS, 1_700_000_000_000L, true));

        assertEquals(MAPPER.readTree("""
                {"name":"orders","id":"orders-10.0.0.5-8080","address":"10.0.0.5","port":8080,"sslPort":null,
                 "payload":{"@class":"org.springframework.cloud.zookeeper.discovery.ZookeeperInstance",
                            "id":"orders-10.0.0.5-8080","name":"orders","metadata":{"version":"1.2","tags":"blue"}},
                 "registrationTimeUTC":1700000000000,"serviceType":"DYNAMIC","uriSpec":null}"""), node);
    }

    @Test
    void withoutPayloadThePayloadIsNull() throws Exception {
        JsonNode node = MAPPER.readTree(CuratorInstanceJson.of(ORDERS, 1L, false));

        assertTrue(node.get("payload").isNull());
        assertEquals("DYNAMIC", node.get("serviceType").asText());
    }

    @Test
    void anUnknownPayloadOptionIsRejectedNamingTheKey() {
        SettingsException bad =
                assertThrows(SettingsException.class, () -> new ZookeeperRegistry(settings(Map.of("payload", "json"))));
        assertTrue(bad.getMessage().contains("autoreg.registry.zookeeper.payload"), bad.getMessage());
    }

    @Test
    void renewBeforeAnyRegistrationIsAnIoExceptionNotAHang() {
        try (ZookeeperRegistry registry = new ZookeeperRegistry(settings(Map.of()))) {
            assertThrows(java.io.IOException.class, () -> registry.renew(new ZookeeperRegistry.ZookeeperLease(ORDERS)));
        }
    }
}
