package io.autoreg.core.internal.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.autoreg.core.internal.lifecycle.RegistryBackend;
import io.autoreg.core.internal.settings.RegistrySettings;
import io.autoreg.core.internal.settings.SettingsException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackendsTest {

    private static RegistrySettings ofType(String type) {
        return new RegistrySettings(
                type,
                "http://127.0.0.1:8870/v1.0/default",
                null,
                null,
                null,
                null,
                Duration.ofSeconds(1),
                Duration.ofSeconds(2),
                new RegistrySettings.TlsSettings(null, null, null),
                Map.of());
    }

    @Test
    void serviceRegistryIsBuiltIn() {
        try (RegistryBackend backend = Backends.create(ofType("service-registry"))) {
            assertEquals("service-registry", backend.type());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"registro", "etcd", "eureka", "consul"})
    void everyHttpTypeIsBuiltIn(String type) {
        try (RegistryBackend backend = Backends.create(ofType(type))) {
            assertEquals(type, backend.type());
        }
    }

    @Test
    void anUnknownTypeNamesTheAllowedValues() {
        SettingsException e = assertThrows(SettingsException.class, () -> Backends.create(ofType("nacos")));
        assertEquals(
                "autoreg.registry.type = \"nacos\" (registry settings): expected one of "
                        + "service-registry | registro | etcd | zookeeper | eureka | consul",
                e.getMessage());
    }
}
