package io.autoreg.sidecar.ops;

import io.autoreg.core.internal.backend.etcd.EtcdRegistry;
import io.autoreg.core.internal.backend.zookeeper.ZookeeperRegistry;
import io.autoreg.core.internal.settings.RegistrySettings;
import io.autoreg.core.internal.settings.UrlCredentials;
import java.util.Map;

/**
 * The operator commands read the Service Registry API (the registry server, or the original service). With another
 * {@code autoreg.registry.type} they would call that API's paths on etcd, Consul or Eureka and print a bare
 * {@code HTTP 404}; they say instead that they do not speak to it, and how to list what autoreg registered there with
 * the engine's own tool, in the layout the backend writes.
 */
final class OtherRegistries {

    private OtherRegistries() {}

    /** Null for the Service Registry; else the usage error's text for the configured type. */
    static String refusal(RegistrySettings registry) {
        String type = registry.type();
        if (type == null || type.equals("service-registry")) {
            return null;
        }
        String url = UrlCredentials.redacted(registry.url());
        Map<String, String> options = registry.options() == null ? Map.of() : registry.options();
        String look;
        switch (type) {
            case "etcd":
                look = "etcdctl --endpoints " + url + " get --prefix "
                        + options.getOrDefault("prefix", EtcdRegistry.DEFAULT_PREFIX) + "/";
                break;
            case "consul":
                look = "consul catalog services -tags, or curl " + url + "/v1/agent/services";
                break;
            case "eureka":
                look = "curl -H 'Accept: application/json' " + url + "/apps";
                break;
            case "zookeeper":
                look = "zkCli.sh -server " + url + " ls -R "
                        + options.getOrDefault("base-path", ZookeeperRegistry.DEFAULT_BASE_PATH);
                break;
            default:
                look = "the registry server's own listing, with --registry-url set to its /v1.0/{tenant}";
                break;
        }
        return "the operator commands read the Service Registry API (autoreg's registry server, or the original"
                + " service), and autoreg.registry.type is " + type + ": what autoreg registered there is listed by "
                + look;
    }
}
