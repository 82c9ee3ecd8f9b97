package io.autoreg.core.settings;

import java.time.Duration;
import java.util.Map;

/**
 * {@code autoreg.registry.*}: where and how to reach the registry.
 *
 * @param type           service-registry | registro | etcd | zookeeper | eureka | consul
 * @param url            base URL; for service-registry it includes {@code /v1.0/{tenant}}; for zookeeper
 *                       a connect string such as {@code 127.0.0.1:2181}
 * @param token          static token ({@code X-Auth-Token}, {@code X-Consul-Token}), or null
 * @param username       user for token-endpoint / etcd / basic auth, or null
 * @param apiKey         api key or password, or null
 * @param authUrl        token endpoint ({@code .../v2.0/tokens}), or null
 * @param connectTimeout connect timeout of every call
 * @param requestTimeout overall timeout of every call
 * @param tls            TLS files, all nullable
 * @param options        backend-specific extra keys under {@code autoreg.registry.<type>.*}, flattened
 */
public record RegistrySettings(String type, String url, String token, String username, String apiKey,
                               String authUrl, Duration connectTimeout, Duration requestTimeout,
                               TlsSettings tls, Map<String, String> options) {

    public record TlsSettings(String caFile, String certFile, String keyFile) {
    }
}
