package io.autoreg.core.internal.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Turns the merged tree into the validated common records; every rule names what is allowed. */
final class SettingsValidator {

    /**
     * The registry types whose URL may carry {@code user:password@}: their HTTP client sends it as basic auth, as
     * Eureka's own client does with a Spring Cloud {@code defaultZone} and Consul's with {@code CONSUL_HTTP_AUTH}.
     */
    private static final List<String> BASIC_AUTH_IN_URL = List.of("eureka", "consul", "registro");
    /** {@link #BASIC_AUTH_IN_URL} as a message names them: "eureka, consul and registro". */
    private static final String BASIC_AUTH_IN_URL_NAMES =
            String.join(", ", BASIC_AUTH_IN_URL.subList(0, BASIC_AUTH_IN_URL.size() - 1)) + " and "
                    + BASIC_AUTH_IN_URL.get(BASIC_AUTH_IN_URL.size() - 1);
    /** The credentials settings a URL's user info would stand for. */
    private static final String AUTH_SETTINGS = "autoreg.registry.auth.username and autoreg.registry.auth.api-key";

    private SettingsValidator() {}

    static AutoregSettings validate(Config config) {
        SettingsReader r = new SettingsReader(config);
        boolean enabled = r.bool("autoreg.enabled");
        RegistrySettings registry = registry(r);
        boolean serviceRegistry = registry.type().equals("service-registry");
        ServiceSettings service = service(r, serviceRegistry);
        HeartbeatSettings heartbeat = heartbeat(r, registry.type());
        return new AutoregSettings(enabled, registry, service, heartbeat, config);
    }

    private static RegistrySettings registry(SettingsReader r) {
        String type = r.oneOf("autoreg.registry.type", SettingsSchema.REGISTRY_TYPE.allowed());
        String url = r.isBuiltInDefault("autoreg.registry.url")
                ? SettingsSchema.defaultUrl(type)
                : r.string("autoreg.registry.url");
        if (!type.equals("zookeeper")) {
            url = String.join(",", httpUrls(r, type, url));
        } else {
            String problem = ZookeeperConnectString.problem(url);
            if (problem != null) {
                throw r.bad("autoreg.registry.url", problem);
            }
        }
        if (type.equals("service-registry")) {
            // an http(s) URL without user info by now: the URL meant is the same one with the default tenant's path
            java.net.URI uri = java.net.URI.create(url);
            if (!SettingsSchema.isServiceRegistryBaseUrl(uri)) {
                throw r.bad("autoreg.registry.url", notABaseUrl(uri));
            }
        }
        String username = r.stringOrNull("autoreg.registry.auth.username");
        String apiKey = r.stringOrNull("autoreg.registry.auth.api-key");
        if (username != null && apiKey == null) {
            throw r.bad("autoreg.registry.auth.api-key", "required when autoreg.registry.auth.username is set");
        }
        String authUrl = r.stringOrNull("autoreg.registry.auth.url");
        if (authUrl != null && UrlCredentials.present(authUrl)) {
            throw r.bad(
                    "autoreg.registry.auth.url",
                    "expected no user:password@ in the URL: the token endpoint takes " + AUTH_SETTINGS);
        }
        if (authUrl != null && !isHttpUrl(authUrl)) {
            throw r.bad(
                    "autoreg.registry.auth.url",
                    "expected an http:// or https:// URL such as http://127.0.0.1:8870/v2.0/tokens");
        }
        Duration connect = r.duration(SettingsSchema.CONNECT_TIMEOUT);
        Duration request = r.duration(SettingsSchema.REQUEST_TIMEOUT);
        RegistrySettings.TlsSettings tls = new RegistrySettings.TlsSettings(
                readableFile(r, "autoreg.registry.tls.ca-file"),
                readableFile(r, "autoreg.registry.tls.cert-file"),
                readableFile(r, "autoreg.registry.tls.key-file"));
        if ((tls.certFile() == null) != (tls.keyFile() == null)) {
            throw r.bad(
                    tls.certFile() == null ? "autoreg.registry.tls.cert-file" : "autoreg.registry.tls.key-file",
                    "cert-file and key-file must be given together");
        }
        String optionsKey = "autoreg.registry." + ConfigUtil.joinPath(type);
        Map<String, String> options = r.stringMap(optionsKey);
        return new RegistrySettings(
                type,
                url,
                r.stringOrNull("autoreg.registry.token"),
                username,
                apiKey,
                authUrl,
                connect,
                request,
                tls,
                options);
    }

    /**
     * The registry's http(s) URLs, checked one by one: several only where the backend's own clients take a list of
     * servers to fail over between (etcd's members, Eureka's {@code defaultZone}); user info only where it is sent.
     */
    private static List<String> httpUrls(SettingsReader r, String type, String value) {
        List<String> urls = UrlList.split(value);
        if (urls.size() > 1 && !SettingsSchema.SEVERAL_URL_TYPES.contains(type)) {
            throw r.bad(
                    "autoreg.registry.url",
                    "expected one URL for " + type + ": only etcd (its members) and eureka (a defaultZone list)"
                            + " take several, comma-separated");
        }
        if (urls.isEmpty()) {
            throw r.bad("autoreg.registry.url", "expected an http:// or https:// URL");
        }
        for (String url : urls) {
            String which = urls.size() > 1 ? " (\"" + UrlCredentials.redacted(url) + "\" is not)" : "";
            if (!isHttpUrl(url)) {
                throw r.bad(
                        "autoreg.registry.url",
                        "expected an http:// or https:// URL"
                                + (type.equals("service-registry") ? " such as http://127.0.0.1:8870/v1.0/default" : "")
                                + which);
            }
            if (UrlCredentials.present(url) && !BASIC_AUTH_IN_URL.contains(type)) {
                // OkHttp sends no Authorization for a URL's user info: taken silently, it would be ignored
                String instead = type.equals("etcd")
                        ? AUTH_SETTINGS + " (the etcd user and password)"
                        : AUTH_SETTINGS + ", or autoreg.registry.token";
                throw r.bad(
                        "autoreg.registry.url",
                        "expected no user:password@ in the URL for " + type + " (only " + BASIC_AUTH_IN_URL_NAMES
                                + " send it as basic auth); give " + instead + " instead");
            }
            java.net.URI uri = java.net.URI.create(url);
            if (type.equals("etcd") && SettingsSchema.isEtcdApiPath(uri.getRawPath())) {
                throw r.bad(
                        "autoreg.registry.url",
                        "expected etcd's client URL without the API's path, such as " + uri.getScheme() + "://"
                                + uri.getRawAuthority() + ": autoreg adds /v3/..." + which);
            }
        }
        return urls;
    }

    /** What a service-registry URL should have been: the same one cut before what the API cannot take, or the default tenant's. */
    private static String notABaseUrl(java.net.URI uri) {
        String origin = uri.getScheme() + "://" + uri.getRawAuthority();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        int parameters = path.indexOf(';');
        String before = parameters < 0 ? path : path.substring(0, parameters);
        boolean extra = parameters >= 0 || uri.getRawQuery() != null || uri.getRawFragment() != null;
        if (!extra) {
            return "expected the API's base URL, which ends in /v1.0/{tenant}, such as " + origin + "/v1.0/default";
        }
        return "expected the API's base URL, which ends in /v1.0/{tenant} with no ;parameters, ?query or #fragment,"
                + " such as " + origin + (SettingsSchema.isServiceRegistryBasePath(before) ? before : "/v1.0/default")
                + (parameters >= 0 ? " (a ';' in it: were two agent arguments joined with ';' rather than ','?)" : "");
    }

    private static ServiceSettings service(SettingsReader r, boolean serviceRegistry) {
        String id = r.stringOrNull("autoreg.service.id");
        if (id != null && !SettingsSchema.isServiceId(id)) {
            throw r.bad("autoreg.service.id", "expected 3 to 65 characters of A-Z a-z 0-9 _ . -");
        }
        List<String> tags = r.stringList("autoreg.service.tags");
        Map<String, String> metadata = r.stringMap("autoreg.service.metadata");
        if (serviceRegistry) {
            if (tags.size() > SettingsSchema.MAX_TAGS
                    || tags.stream().anyMatch(t -> t.isEmpty() || t.length() > SettingsSchema.MAX_TAG_LENGTH)) {
                throw r.bad("autoreg.service.tags", "expected at most 10 tags of 1 to 55 characters each");
            }
            if (SettingsSchema.metadataPairs(metadata.keySet(), List.of()) > SettingsSchema.MAX_METADATA_PAIRS
                    || metadata.entrySet().stream()
                            .anyMatch(e -> e.getKey().isEmpty()
                                    || e.getKey().length() > SettingsSchema.MAX_METADATA_LENGTH
                                    || e.getValue().isEmpty()
                                    || e.getValue().length() > SettingsSchema.MAX_METADATA_LENGTH)) {
                throw r.bad(
                        "autoreg.service.metadata",
                        "expected at most " + (SettingsSchema.MAX_METADATA_PAIRS - 1)
                                + " pairs with keys and values of 1 to 255 characters (service-registry takes "
                                + SettingsSchema.MAX_METADATA_PAIRS + ", one of them "
                                + SettingsSchema.NAME_METADATA_KEY + ")");
            }
        }
        String address = r.stringOrNull("autoreg.service.address");
        String addressProblem = address == null ? null : AddressRule.problem(address);
        if (addressProblem != null) {
            throw r.bad("autoreg.service.address", addressProblem);
        }
        return new ServiceSettings(r.stringOrNull("autoreg.service.name"), id, tags, metadata, address);
    }

    private static HeartbeatSettings heartbeat(SettingsReader r, String type) {
        boolean wholeSeconds = type.equals("service-registry");
        Duration min = wholeSeconds ? SettingsSchema.HEARTBEAT_TIMEOUT.min() : SettingsSchema.OTHER_TIMEOUT_MIN;
        Duration max = wholeSeconds ? SettingsSchema.HEARTBEAT_TIMEOUT.max() : SettingsSchema.OTHER_TIMEOUT_MAX;
        Duration timeout = r.duration(SettingsSchema.HEARTBEAT_TIMEOUT.path(), min, max);
        if (wholeSeconds && timeout.toMillis() % 1000 != 0) {
            throw r.bad("autoreg.heartbeat.timeout", "expected whole seconds between 3s and 120s (service-registry)");
        }
        Duration interval = r.durationOrNull(
                SettingsSchema.HEARTBEAT_INTERVAL.path(), SettingsSchema.HEARTBEAT_INTERVAL.min(), max);
        if (interval != null && interval.compareTo(timeout) >= 0) {
            throw r.bad(
                    "autoreg.heartbeat.interval",
                    "expected a duration below autoreg.heartbeat.timeout (" + SettingsReader.format(timeout) + ")");
        }
        Duration initial = r.duration(SettingsSchema.INITIAL_BACKOFF);
        Duration maxBackoff = r.duration(SettingsSchema.MAX_BACKOFF.path(), initial, SettingsSchema.MAX_BACKOFF.max());
        return new HeartbeatSettings(timeout, interval, initial, maxBackoff);
    }

    /** Checked with java.net.URI rather than OkHttp, so reading settings does not load the HTTP stack. */
    private static boolean isHttpUrl(String url) {
        try {
            java.net.URI uri = new java.net.URI(url);
            return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static String readableFile(SettingsReader r, String key) {
        String file = r.stringOrNull(key);
        if (file != null && !Files.isReadable(Path.of(file))) {
            throw r.bad(key, "expected a readable PEM file");
        }
        return file;
    }
}
