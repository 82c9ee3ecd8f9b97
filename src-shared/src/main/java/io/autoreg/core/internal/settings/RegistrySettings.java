package io.autoreg.core.internal.settings;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code autoreg.registry.*}: where and how to reach the registry.
 *
 * @param type           service-registry | registro | etcd | zookeeper | eureka | consul
 * @param url            base URL; for service-registry it includes {@code /v1.0/{tenant}}; for etcd and
 *                       eureka a comma-separated list of them ({@link #urls()}); for zookeeper a connect
 *                       string such as {@code 127.0.0.1:2181}
 * @param token          static token ({@code X-Auth-Token}, {@code X-Consul-Token}), or null
 * @param username       user for token-endpoint / etcd / basic auth, or null
 * @param apiKey         api key or password, or null
 * @param authUrl        token endpoint ({@code .../v2.0/tokens}), or null
 * @param connectTimeout connect timeout of every call
 * @param requestTimeout overall timeout of every call
 * @param tls            TLS files, all nullable
 * @param options        backend-specific extra keys under {@code autoreg.registry.<type>.*}, flattened
 */
public record RegistrySettings(
        String type,
        String url,
        String token,
        String username,
        String apiKey,
        String authUrl,
        Duration connectTimeout,
        Duration requestTimeout,
        TlsSettings tls,
        Map<String, String> options) {

    /**
     * The registry's URLs in the order they are tried: one, or etcd's members and Eureka's servers as
     * {@code autoreg.registry.url} lists them ({@code http://a:2379,http://b:2379}).
     */
    public List<String> urls() {
        return urls(url);
    }

    /**
     * The URLs of a {@code autoreg.registry.url} value: a plain one as it is, without the list's parsing (or its class,
     * on the agent's fast path), else {@link UrlList#split}.
     */
    public static List<String> urls(String url) {
        return url.indexOf(',') < 0 && !url.startsWith("[") ? List.of(url) : UrlList.split(url);
    }

    /** Shown instead of a secret, as OkHttp's logging shows a redacted header. */
    static final String REDACTED = "██";

    /**
     * Every field, with the token, the API key, the password of a {@code user:password@} URL and option
     * values whose name says they are secret shown as {@value #REDACTED}: settings end up in logs and
     * exception messages, credentials must not.
     */
    @Override
    public String toString() {
        Map<String, String> shownOptions = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, String> option : options.entrySet()) {
            shownOptions.put(option.getKey(), isSecretName(option.getKey()) ? REDACTED : option.getValue());
        }
        return "RegistrySettings[type=" + type + ", url=" + UrlCredentials.redacted(url)
                + ", token=" + (token == null ? null : REDACTED) + ", username=" + username
                + ", apiKey=" + (apiKey == null ? null : REDACTED) + ", authUrl=" + UrlCredentials.redacted(authUrl)
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout
                + ", tls=" + tls + ", options=" + shownOptions + "]";
    }

    private static boolean isSecretName(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        return lower.contains("token")
                || lower.contains("password")
                || lower.contains("secret")
                || lower.contains("api-key")
                || lower.contains("apikey");
    }

    public record TlsSettings(String caFile, String certFile, String keyFile) {}
}
