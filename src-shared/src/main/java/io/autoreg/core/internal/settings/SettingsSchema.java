package io.autoreg.core.internal.settings;

import java.time.Duration;
import java.util.List;

/**
 * The common settings ({@code autoreg.*} outside the front ends' own sections), declared once. The core's
 * validator takes its ranges from here and the agent's fast path its keys, defaults, ranges and
 * environment variables; {@code SettingsSchemaTest} holds the built-in defaults file to the same
 * defaults and variables. Front ends declare their own section the same way (the agent's
 * {@code AgentSettings.SCHEMA}).
 *
 * <p>Limits of the default registry (service-registry) are here too, so that a value the registry would
 * refuse fails as a setting, with its key and origin, instead of as a refused registration.
 */
public final class SettingsSchema {

    public static final Setting ENABLED =
            Setting.bool("enabled", true).described("Kill switch: false turns every front end into a no-op.");
    public static final Setting LOG_LEVEL = Setting.oneOf("log.level", "warn", "error", "warn", "info", "debug")
            .described("How much autoreg writes to stderr (lines prefixed [autoreg]).");
    public static final Setting REGISTRY_TYPE = Setting.oneOf(
                    "registry.type",
                    "service-registry",
                    "service-registry",
                    "registro",
                    "etcd",
                    "zookeeper",
                    "eureka",
                    "consul")
            .described("Which registry the front end registers with.");
    public static final Setting REGISTRY_URL = Setting.string("registry.url", "http://127.0.0.1:8870/v1.0/default")
            .described("The registry: base URL with /v1.0/{tenant} (service-registry), host:port list (zookeeper),"
                    + " comma-separated URLs tried in turn (etcd's members; eureka, as a defaultZone);"
                    + " user:password@ only for eureka, consul and registro (sent as basic auth). When not set, the"
                    + " type's own local default: etcd http://127.0.0.1:2379, consul http://127.0.0.1:8500, eureka"
                    + " http://127.0.0.1:8761/eureka, zookeeper 127.0.0.1:2181, registro"
                    + " http://127.0.0.1:8870/registro/1.0 (the registry server's); consul: CONSUL_HTTP_ADDR (with"
                    + " CONSUL_HTTP_SSL and CONSUL_HTTP_AUTH) first, as Consul's clients read it.");
    public static final Setting REGISTRY_TOKEN = Setting.string("registry.token", null)
            .alsoFromEnvironment("AUTOREG_TOKEN")
            .described("A static token (X-Auth-Token for service-registry, X-Consul-Token for consul; consul:"
                    + " CONSUL_HTTP_TOKEN when not set).");
    public static final Setting AUTH_USERNAME = Setting.string("registry.auth.username", null)
            .described("User name for the token endpoint (service-registry), or the etcd user.");
    public static final Setting AUTH_API_KEY = Setting.string("registry.auth.api-key", null)
            .described("API key for the token endpoint, or the etcd password; required with a user name.");
    public static final Setting AUTH_URL = Setting.string("registry.auth.url", null)
            .described("The token endpoint (POST .../v2.0/tokens); /v2.0/tokens on the registry's host when not set.");
    public static final Setting CONNECT_TIMEOUT = Setting.duration(
                    "registry.connect-timeout", "2s", Duration.ofMillis(100), Duration.ofSeconds(60))
            .described("Bound on opening a connection to the registry.");
    public static final Setting REQUEST_TIMEOUT = Setting.duration(
                    "registry.request-timeout", "5s", Duration.ofMillis(100), Duration.ofMinutes(5))
            .described("Bound on one call to the registry, far below the heartbeat margin.");
    public static final Setting TLS_CA_FILE = Setting.string("registry.tls.ca-file", null)
            .described("PEM file of the certificate authorities trusted for the registry.");
    public static final Setting TLS_CERT_FILE = Setting.string("registry.tls.cert-file", null)
            .described("PEM client certificate chain (mutual TLS); needs the key file too.");
    public static final Setting TLS_KEY_FILE = Setting.string("registry.tls.key-file", null)
            .described("PEM (PKCS#8) private key of the client certificate.");
    public static final Setting SERVICE_NAME = Setting.string("service.name", null)
            .described("The logical service name; derived from the main class, jar or command when not set.");
    public static final Setting SERVICE_ID = Setting.string("service.id", null)
            .described("The instance id; <name>-<host>-<port>, stable across restarts, when not set.");
    public static final Setting SERVICE_TAGS = Setting.list("service.tags")
            .described("Tags of every registration (service-registry: at most 10, of 1 to 55 characters).");
    public static final Setting SERVICE_METADATA = Setting.map("service.metadata")
            .described("Metadata of every registration (service-registry: 20 pairs in all, service_name included).");
    public static final Setting SERVICE_ADDRESS = Setting.string("service.address", null)
            .described("The address consumers connect to, a host name or an IP address (no scheme, no port); POD_IP,"
                    + " else a site-local one, else loopback, when not set.");
    /** The range of service-registry (whole seconds); {@link #OTHER_TIMEOUT_MIN}/{@link #OTHER_TIMEOUT_MAX} elsewhere. */
    public static final Setting HEARTBEAT_TIMEOUT = Setting.duration(
                    "heartbeat.timeout", "30s", Duration.ofSeconds(3), Duration.ofSeconds(120))
            .described("Registry-side time-to-live of a registration (service-registry: whole seconds).");

    public static final Duration OTHER_TIMEOUT_MIN = Duration.ofSeconds(1);
    public static final Duration OTHER_TIMEOUT_MAX = Duration.ofHours(1);
    /** Below the timeout as well; up to the timeout's maximum. */
    public static final Setting HEARTBEAT_INTERVAL = Setting.duration(
                    "heartbeat.interval", null, Duration.ofMillis(100), Duration.ofSeconds(120))
            .described("Time between heartbeats, below the timeout; derived from the timeout when not set.");

    public static final Setting INITIAL_BACKOFF = Setting.duration(
                    "retry.initial-backoff", "250ms", Duration.ofMillis(1), Duration.ofMinutes(1))
            .described("First retry delay of a failed call (full-jitter exponential backoff, retried forever).");
    /** At least the initial backoff. */
    public static final Setting MAX_BACKOFF = Setting.duration(
                    "retry.max-backoff", "10s", Duration.ofMillis(1), Duration.ofMinutes(10))
            .described("Cap of the retry delay; at least the initial backoff.");

    /**
     * Where the config file is ({@code -Dautoreg.config}, {@code AUTOREG_CONFIG}, the agent's {@code config=}
     * argument, the sidecar's {@code --config}): read before any file, so it is not a key of one.
     */
    public static final Setting CONFIG_FILE =
            Setting.string("config", null).described("Path of the config file (HOCON); none when not set.");

    /**
     * The options of one backend under {@code autoreg.registry.<type>.*}: free-form in the defaults file and
     * handed to the backend flattened ({@code RegistrySettings.options}); these are the ones a backend reads.
     */
    public static final List<Setting> BACKEND_OPTIONS = List.of(
            Setting.string("registry.etcd.prefix", "/autoreg/services")
                    .notFromEnvironment()
                    .described("etcd: the key prefix registrations are written under."),
            Setting.string("registry.zookeeper.base-path", "/services")
                    .notFromEnvironment()
                    .described("zookeeper: the parent path of the service nodes."),
            Setting.oneOf("registry.zookeeper.payload", "spring-cloud", "spring-cloud", "none")
                    .notFromEnvironment()
                    .described("zookeeper: write Spring Cloud Zookeeper's instance payload, or none."));

    /** Every common setting, in the order of the defaults file. */
    public static final List<Setting> COMMON = List.of(
            ENABLED,
            LOG_LEVEL,
            REGISTRY_TYPE,
            REGISTRY_URL,
            REGISTRY_TOKEN,
            AUTH_USERNAME,
            AUTH_API_KEY,
            AUTH_URL,
            CONNECT_TIMEOUT,
            REQUEST_TIMEOUT,
            TLS_CA_FILE,
            TLS_CERT_FILE,
            TLS_KEY_FILE,
            SERVICE_NAME,
            SERVICE_ID,
            SERVICE_TAGS,
            SERVICE_METADATA,
            SERVICE_ADDRESS,
            HEARTBEAT_TIMEOUT,
            HEARTBEAT_INTERVAL,
            INITIAL_BACKOFF,
            MAX_BACKOFF);

    /**
     * The sections of {@code autoreg.*} that belong to one front end each. A front end reads only its own
     * (it knows its keys), and lets the others pass, so that one file can configure the agent and the
     * sidecar; any other unknown key fails at every level.
     */
    public static final List<String> FRONT_END_SECTIONS = List.of("agent", "sidecar", "server");

    // ---- what service-registry accepts (registering anything beyond fails with 400) ----------------

    /** Ids: 3 to 65 characters of {@code A-Z a-z 0-9 _ . -}. */
    public static final int MAX_ID_LENGTH = 65;

    public static final int MIN_ID_LENGTH = 3;
    public static final int MAX_TAGS = 10;
    public static final int MAX_TAG_LENGTH = 55;
    /** Pairs per service, the service name the backends add as {@code service_name} included. */
    public static final int MAX_METADATA_PAIRS = 20;

    public static final int MAX_METADATA_LENGTH = 255;
    /** The pair every service-registry backend adds: the API has no name field. */
    public static final String NAME_METADATA_KEY = "service_name";

    private SettingsSchema() {}

    /** Whether {@code id} is 3 to 65 characters of {@code A-Z a-z 0-9 _ . -}; no regex engine (start-up cost). */
    public static boolean isServiceId(String id) {
        if (id.length() < MIN_ID_LENGTH || id.length() > MAX_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c < 128 && Character.isLetterOrDigit(c)) && c != '_' && c != '.' && c != '-') {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a URL's raw path ends in the API's base, {@code /v1.0/{tenant}} (docs/api.md, "Base URL"), an optional
     * trailing slash allowed: a proxy may mount the API under a prefix, but without a tenant every call is
     * "The page cannot be found." and the registration would retry a 404 for ever. No regex engine (start-up cost).
     */
    public static boolean isServiceRegistryBasePath(String rawPath) {
        String path = rawPath == null ? "" : rawPath;
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        int tenant = path.lastIndexOf('/');
        return tenant > 0
                && tenant < path.length() - 1
                && path.substring(0, tenant).endsWith("/v1.0");
    }

    /**
     * Added to a Eureka registration answered 404: Eureka answers every register it takes with 204, so a 404 means
     * the URL is not its service URL — a server's root ({@code http://host:8761}) where the API is at {@code /eureka}.
     */
    public static final String EUREKA_NOT_A_SERVICE_URL =
            " (a 404 to a register: is autoreg.registry.url Eureka's service URL, such as http://127.0.0.1:8761/eureka?)";

    /**
     * The registry types whose clients take several servers in {@code autoreg.registry.url} and fail over between them
     * (etcd's members, a Eureka {@code defaultZone}); the others take one URL.
     */
    public static final List<String> SEVERAL_URL_TYPES = List.of("etcd", "eureka");

    /**
     * The registry URL of a type when {@code autoreg.registry.url} is not set: the engine's own local default (its
     * port, its API's base path), as its own clients assume — the service registry's URL sent to etcd or ZooKeeper
     * only named a server that could not be it.
     */
    public static String defaultUrl(String type) {
        return switch (type) {
            case "etcd" -> "http://127.0.0.1:2379";
            case "consul" -> "http://127.0.0.1:8500";
            case "eureka" -> "http://127.0.0.1:8761/eureka";
            case "zookeeper" -> "127.0.0.1:2181";
            case "registro" -> "http://127.0.0.1:8870/registro/1.0";
            default -> REGISTRY_URL.defaultValue();
        };
    }

    /**
     * An etcd URL whose path ends in the API's version segment ({@code /v3}, {@code /v3beta}, {@code /v3alpha}): the
     * backend adds {@code /v3/...} itself, so every call went to {@code /v3/v3/...} and etcd answered 404. Any other
     * path stays allowed (a gateway behind a proxy's prefix).
     */
    public static boolean isEtcdApiPath(String path) {
        String trimmed = path == null ? "" : path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        String last = trimmed.substring(trimmed.lastIndexOf('/') + 1);
        return last.equals("v3") || last.equals("v3beta") || last.equals("v3alpha");
    }

    /**
     * A service-registry base URL: its path ends in {@code /v1.0/{tenant}} ({@link #isServiceRegistryBasePath}), with
     * no {@code ;parameters}, {@code ?query} or {@code #fragment}, which every request would carry after its own path
     * or lose (the registry answers "Path parameters (';') are not part of this API" to the first). A {@code ;} is
     * also how two agent arguments joined with the wrong separator arrive ({@code registry.url=…;service.name=…}).
     */
    public static boolean isServiceRegistryBaseUrl(java.net.URI uri) {
        String path = uri.getRawPath();
        return uri.getRawQuery() == null
                && uri.getRawFragment() == null
                && path != null
                && path.indexOf(';') < 0
                && isServiceRegistryBasePath(path);
    }

    /**
     * How many metadata pairs service-registry receives: the configured ones, {@code service_name} (added by
     * every backend) and the keys a front end adds to every registration ({@code added}), each key once.
     */
    public static int metadataPairs(java.util.Collection<String> configured, List<String> added) {
        java.util.Set<String> keys = new java.util.HashSet<>(configured);
        keys.add(NAME_METADATA_KEY);
        keys.addAll(added);
        return keys.size();
    }
}
