package io.autoreg.core.backend;

import io.autoreg.core.backend.serviceregistry.ServiceRegistryBackend;
import io.autoreg.core.settings.RegistrySettings;
import io.autoreg.core.settings.SettingsException;
import io.autoreg.core.settings.SettingsLoader;

/**
 * Makes the backend named by {@code autoreg.registry.type}: a plain switch, deliberately no
 * ServiceLoader (the agent must not expose {@code META-INF/services} to the host application).
 */
public final class Backends {

    private Backends() {
    }

    public static RegistryBackend create(RegistrySettings settings) {
        String type = settings.type();
        switch (type == null ? "" : type) {
            case "service-registry":
                return new ServiceRegistryBackend(settings);
            default:
                throw new SettingsException("autoreg.registry.type", "registry settings", type,
                        "expected one of " + String.join(" | ", SettingsLoader.REGISTRY_TYPES)
                                + (SettingsLoader.REGISTRY_TYPES.contains(type) ? " (" + type + " is not built into this version)" : ""));
        }
    }

    /** As a {@link RegistryBackendFactory}, for front ends that take one. */
    public static RegistryBackendFactory factory() {
        return Backends::create;
    }
}
