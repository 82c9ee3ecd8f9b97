package io.autoreg.backendsit;

import io.autoreg.core.internal.backend.Backends;
import io.autoreg.core.internal.lifecycle.RegistryBackend;
import io.autoreg.core.internal.settings.RegistrySettings;
import java.time.Duration;
import java.util.Map;

/** Settings and backends as the front ends would make them from {@code autoreg.registry.*}. */
final class TestBackends {

    private TestBackends() {}

    static RegistrySettings settings(String type, String url, Map<String, String> options) {
        return new RegistrySettings(
                type,
                url,
                null,
                null,
                null,
                null,
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                new RegistrySettings.TlsSettings(null, null, null),
                options);
    }

    /** Through the core's own switch on {@code autoreg.registry.type}, as the agent and sidecar do. */
    static RegistryBackend create(RegistrySettings settings) {
        return Backends.create(settings);
    }
}
