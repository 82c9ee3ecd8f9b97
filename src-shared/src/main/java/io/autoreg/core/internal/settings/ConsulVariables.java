package io.autoreg.core.internal.settings;

import java.util.Map;
import java.util.Set;

/**
 * Consul's own environment variables, read as Consul's clients read them (its CLI, its Go API package, and so every
 * tool built on it): in a pod, {@code CONSUL_HTTP_ADDR} is where the node's agent is, often set from the host's IP.
 * With {@code autoreg.registry.type = consul} they stand in for autoreg's settings that no layer set:
 * {@code CONSUL_HTTP_ADDR} (with {@code CONSUL_HTTP_SSL}) for {@code autoreg.registry.url}, {@code CONSUL_HTTP_TOKEN}
 * for {@code autoreg.registry.token}. Never over a value the user gave autoreg itself. Plain text here, read by both
 * settings readers (the agent's fast one has no HOCON).
 */
public final class ConsulVariables {

    public static final String ADDRESS = "CONSUL_HTTP_ADDR";
    public static final String SSL = "CONSUL_HTTP_SSL";
    public static final String TOKEN = "CONSUL_HTTP_TOKEN";

    /** What Go's {@code strconv.ParseBool}, which Consul's API package reads {@code CONSUL_HTTP_SSL} with, calls true. */
    private static final Set<String> TRUE = Set.of("1", "t", "T", "true", "TRUE", "True");

    private ConsulVariables() {}

    /**
     * The agent's URL from {@code CONSUL_HTTP_ADDR}: as it is when it has a scheme, else {@code http://} or, with
     * {@code CONSUL_HTTP_SSL} true, {@code https://} before it; null when it is not set.
     */
    public static String url(Map<String, String> env) {
        String address = env.get(ADDRESS);
        if (address == null || address.isBlank()) {
            return null;
        }
        String trimmed = address.trim();
        if (trimmed.contains("://")) {
            return trimmed;
        }
        return (TRUE.contains(String.valueOf(env.get(SSL)).trim()) ? "https://" : "http://") + trimmed;
    }

    /** {@code CONSUL_HTTP_TOKEN}, or null when it is not set. */
    public static String token(Map<String, String> env) {
        String token = env.get(TOKEN);
        return token == null || token.isBlank() ? null : token.trim();
    }
}
