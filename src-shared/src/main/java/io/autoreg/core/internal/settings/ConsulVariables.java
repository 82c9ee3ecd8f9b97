package io.autoreg.core.internal.settings;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * Consul's own environment variables, read as Consul's clients read them (its CLI, its Go API package, and so every
 * tool built on it): in a pod, {@code CONSUL_HTTP_ADDR} is where the node's agent is, often set from the host's IP.
 * With {@code autoreg.registry.type = consul} they stand in for autoreg's settings that no layer set:
 * {@code CONSUL_HTTP_ADDR} (with {@code CONSUL_HTTP_SSL}, and {@code CONSUL_HTTP_AUTH}'s {@code user:password} put
 * in it as the URL's user info, which the clients send as basic auth) for {@code autoreg.registry.url},
 * {@code CONSUL_HTTP_TOKEN} for {@code autoreg.registry.token}. Never over a value the user gave autoreg itself.
 * Plain text here, read by both settings readers (the agent's fast one has no HOCON).
 */
public final class ConsulVariables {

    public static final String ADDRESS = "CONSUL_HTTP_ADDR";
    public static final String SSL = "CONSUL_HTTP_SSL";
    public static final String TOKEN = "CONSUL_HTTP_TOKEN";
    public static final String AUTH = "CONSUL_HTTP_AUTH";

    /** Consul's clients' address when {@code CONSUL_HTTP_ADDR} is not set. */
    private static final String DEFAULT_ADDRESS = "127.0.0.1:8500";

    /** What Go's {@code strconv.ParseBool}, which Consul's API package reads {@code CONSUL_HTTP_SSL} with, calls true. */
    private static final Set<String> TRUE = Set.of("1", "t", "T", "true", "TRUE", "True");

    private ConsulVariables() {}

    /**
     * The agent's URL as Consul's clients make it: {@code CONSUL_HTTP_ADDR} as it is when it has a scheme, else
     * {@code http://} or, with {@code CONSUL_HTTP_SSL} true, {@code https://} before it (their default address
     * {@code 127.0.0.1:8500} when only the other two are set), with {@code CONSUL_HTTP_AUTH}'s {@code user:password}
     * as its user info unless it has its own; null when none of the three is set.
     */
    public static String url(Map<String, String> env) {
        String address = set(env, ADDRESS);
        String auth = set(env, AUTH);
        boolean ssl = TRUE.contains(String.valueOf(env.get(SSL)).trim());
        if (address == null && auth == null && !ssl) {
            return null;
        }
        String hostPort = address == null ? DEFAULT_ADDRESS : address;
        String url = hostPort.contains("://") ? hostPort : (ssl ? "https://" : "http://") + hostPort;
        return auth == null || UrlCredentials.present(url) ? url : withUserInfo(url, auth);
    }

    /** The variables {@link #url} read, for the origin of the setting they make. */
    public static String urlOrigin(Map<String, String> env) {
        StringBuilder names = new StringBuilder();
        for (String name : new String[] {ADDRESS, SSL, AUTH}) {
            if (set(env, name) != null) {
                names.append(names.length() == 0 ? "" : ", ").append(name);
            }
        }
        return (names.indexOf(",") < 0 ? "environment variable " : "environment variables ") + names;
    }

    /**
     * {@code user:password} (or a user alone, as Consul's API package splits it at the first colon) percent-encoded
     * into the URL after its scheme.
     */
    private static String withUserInfo(String url, String auth) {
        int colon = auth.indexOf(':');
        String userInfo = colon < 0
                ? encoded(auth)
                : encoded(auth.substring(0, colon)) + ":" + encoded(auth.substring(colon + 1));
        int authority = url.indexOf("://") + 3;
        return url.substring(0, authority) + userInfo + "@" + url.substring(authority);
    }

    /** Every byte but RFC 3986's unreserved characters as {@code %XX}, so any password survives the URL. */
    private static String encoded(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static String set(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** {@code CONSUL_HTTP_TOKEN}, or null when it is not set. */
    public static String token(Map<String, String> env) {
        String token = env.get(TOKEN);
        return token == null || token.isBlank() ? null : token.trim();
    }
}
