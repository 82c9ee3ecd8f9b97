package io.autoreg.core.backend;

import io.autoreg.core.settings.RegistrySettings;

/**
 * Makes the backend named by {@code autoreg.registry.type}. Implemented in
 * {@code io.autoreg.core.backend.Backends} (a plain switch, no ServiceLoader: the agent must not
 * expose {@code META-INF/services} to the host app).
 */
public interface RegistryBackendFactory {
    RegistryBackend create(RegistrySettings settings);
}
