package io.autoreg.core.internal.backend;

import io.autoreg.core.internal.backend.consul.ConsulRegistry;
import io.autoreg.core.internal.backend.etcd.EtcdRegistry;
import io.autoreg.core.internal.backend.eureka.EurekaRegistry;
import io.autoreg.core.internal.backend.registro.RegistroRegistry;
import io.autoreg.core.internal.backend.serviceregistry.ServiceRegistryBackend;
import io.autoreg.core.internal.backend.zookeeper.ZookeeperRegistry;
import io.autoreg.core.internal.lifecycle.RegistryBackend;
import io.autoreg.core.internal.settings.RegistrySettings;
import io.autoreg.core.internal.settings.SettingsException;
import io.autoreg.core.internal.settings.SettingsSchema;

/**
 * Makes the backend named by {@code autoreg.registry.type}: a plain switch, deliberately no
 * ServiceLoader (the agent must not expose {@code META-INF/services} to the host application).
 */
public final class Backends {

    private Backends() {}

    public static RegistryBackend create(RegistrySettings settings) {
        String type = settings.type();
        switch (type == null ? "" : type) {
            case "service-registry":
                return new ServiceRegistryBackend(settings);
            case "registro":
                return new RegistroRegistry(settings);
            case "etcd":
                return new EtcdRegistry(settings);
            case "zookeeper":
                // Curator is an optional dependency: only a front end that ships it can use this type
                return new ZookeeperRegistry(settings);
            case "eureka":
                return new EurekaRegistry(settings);
            case "consul":
                return new ConsulRegistry(settings);
            default:
                throw new SettingsException(
                        "autoreg.registry.type",
                        "registry settings",
                        type,
                        "expected one of " + String.join(" | ", SettingsSchema.REGISTRY_TYPE.allowed()));
        }
    }
}
