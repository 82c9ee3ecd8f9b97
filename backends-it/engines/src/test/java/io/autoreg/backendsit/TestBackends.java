package io.autoreg.backendsit;

import io.autoreg.core.backend.RegistryBackend;
import io.autoreg.core.backend.consul.ConsulRegistry;
import io.autoreg.core.backend.etcd.EtcdRegistry;
import io.autoreg.core.backend.eureka.EurekaRegistry;
import io.autoreg.core.backend.registro.RegistroRegistry;
import io.autoreg.core.backend.zookeeper.ZookeeperRegistry;
import io.autoreg.core.settings.RegistrySettings;

import java.time.Duration;
import java.util.Map;

/** Settings and backends as the front ends would make them from {@code autoreg.registry.*}. */
final class TestBackends {

    private TestBackends() {
    }

    static RegistrySettings settings(String type, String url, Map<String, String> options) {
        return new RegistrySettings(type, url, null, null, null, null, Duration.ofSeconds(2), Duration.ofSeconds(5),
                new RegistrySettings.TlsSettings(null, null, null), options);
    }

    static RegistryBackend create(RegistrySettings settings) {
        switch (settings.type()) {
            case EtcdRegistry.TYPE:
                return new EtcdRegistry(settings);
            case ZookeeperRegistry.TYPE:
                return new ZookeeperRegistry(settings);
            case EurekaRegistry.TYPE:
                return new EurekaRegistry(settings);
            case ConsulRegistry.TYPE:
                return new ConsulRegistry(settings);
            case RegistroRegistry.TYPE:
                return new RegistroRegistry(settings);
            default:
                throw new IllegalArgumentException("no backend " + settings.type());
        }
    }
}
