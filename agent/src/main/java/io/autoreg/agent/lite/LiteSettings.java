package io.autoreg.agent.lite;

import io.autoreg.agent.register.AgentConfiguration;
import io.autoreg.agent.register.AgentSettings;
import io.autoreg.core.internal.log.Log;
import io.autoreg.core.internal.settings.AddressRule;
import io.autoreg.core.internal.settings.ConsulVariables;
import io.autoreg.core.internal.settings.HeartbeatSettings;
import io.autoreg.core.internal.settings.RegistrySettings;
import io.autoreg.core.internal.settings.ServiceSettings;
import io.autoreg.core.internal.settings.Setting;
import io.autoreg.core.internal.settings.SettingsSchema;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The fast path for the common configuration: agent arguments, {@code -Dautoreg.*} and
 * {@code AUTOREG_*} only, the default {@code service-registry}, {@code etcd}, {@code eureka} or {@code consul} over plain
 * HTTP. Typesafe Config costs
 * ~100 ms of CPU and ~19 MiB of RSS in a cold JVM (measured with agent/bench), which alone would break the
 * agent's start-up budget.
 *
 * <p>This reader is deliberately <b>strict and partial</b>: it knows the keys, defaults, ranges, unit rule
 * and environment variables from the same declarations as the core's reader ({@code SettingsSchema},
 * {@code AgentSettings.SCHEMA}) and accepts only values that are plainly valid. For anything else — a config
 * file, another registry type, TLS or auth, an unknown key, a value it doubts — it returns {@code null} and
 * the agent reads the settings with the core's {@code SettingsLoader}, which is the single authority on
 * errors (key, origin, allowed). {@code LiteSettingsTest} runs both readers over many values: the same
 * result, or the fast path declines.
 */
public final class LiteSettings {

    /** Every key the fast path reads, common and agent, as the schema declares them. */
    private static final List<Setting> KEYS = new ArrayList<>();
    /** Settings whose presence alone needs the full reader (auth, TLS: the lite client speaks neither). */
    private static final List<Setting> FULL_ONLY = List.of(
            SettingsSchema.AUTH_USERNAME,
            SettingsSchema.AUTH_API_KEY,
            SettingsSchema.AUTH_URL,
            SettingsSchema.TLS_CA_FILE,
            SettingsSchema.TLS_CERT_FILE,
            SettingsSchema.TLS_KEY_FILE);

    private static final Map<String, Setting> BY_KEY = new LinkedHashMap<>();

    static {
        KEYS.addAll(SettingsSchema.COMMON);
        KEYS.addAll(AgentSettings.SCHEMA);
        for (Setting setting : KEYS) {
            BY_KEY.put(setting.key(), setting);
        }
    }

    private final Map<String, String> values;
    private final Map<String, String> metadataKeys = new LinkedHashMap<>();

    private LiteSettings(Map<String, String> values) {
        this.values = values;
    }

    /** The configuration, or null when it needs the full reader. Never throws. */
    public static AgentConfiguration readOrNull(
            Map<String, String> overrides, Properties sys, Map<String, String> env) {
        try {
            if (env.get("AUTOREG_CONFIG") != null) {
                return null;
            }
            Map<String, String> values = new LinkedHashMap<>();
            // in declaration order, a later variable wins (as with repeated ${?…} lines in the defaults)
            for (Setting setting : KEYS) {
                for (String name : setting.envNames()) {
                    String value = env.get(name);
                    if (value != null) {
                        values.put(setting.key(), value);
                    }
                }
            }
            // the keys themselves, not stringPropertyNames(): that copies every property into a new set first
            for (Object key : sys.keySet()) {
                if (key instanceof String name && name.startsWith("autoreg.")) {
                    String value = sys.getProperty(name); // null for a value that is not a String, as before
                    if (value != null) {
                        values.put(name.substring("autoreg.".length()), value);
                    }
                }
            }
            // by key, not putAll: the arguments are an unmodifiable map, whose entry set costs a cold JVM three
            // classes parsed from the runtime image (its key set's are warm)
            for (String key : overrides.keySet()) {
                values.put(key, overrides.get(key));
            }
            // Consul's own variables, where no layer set autoreg's (as the core's reader does)
            if ("consul".equals(values.get(SettingsSchema.REGISTRY_TYPE.key()))) {
                String url = ConsulVariables.url(env);
                if (url != null && !values.containsKey(SettingsSchema.REGISTRY_URL.key())) {
                    values.put(SettingsSchema.REGISTRY_URL.key(), url);
                }
                String token = ConsulVariables.token(env);
                if (token != null && !values.containsKey(SettingsSchema.REGISTRY_TOKEN.key())) {
                    values.put(SettingsSchema.REGISTRY_TOKEN.key(), token);
                }
            }
            return new LiteSettings(values).read();
        } catch (Doubt | RuntimeException e) {
            return null;
        }
    }

    /** Thrown when the fast path declines; the full reader then decides. */
    private static final class Doubt extends Exception {
        private static final long serialVersionUID = 1L;

        Doubt() {
            super(null, null, false, false);
        }
    }

    private AgentConfiguration read() throws Doubt {
        for (Map.Entry<String, String> entry : values.entrySet()) {
            String key = entry.getKey();
            check(entry.getValue() != null);
            if (key.startsWith("service.metadata.") && key.length() > "service.metadata.".length()) {
                metadataKeys.put(key.substring("service.metadata.".length()), entry.getValue());
            } else if (!BY_KEY.containsKey(key) || FULL_ONLY.contains(BY_KEY.get(key))) {
                throw new Doubt();
            }
        }
        boolean enabled = bool(SettingsSchema.ENABLED);
        Log.Level logLevel = oneOf(SettingsSchema.LOG_LEVEL, Log.Level.values());

        // the types a light client speaks; for etcd, Eureka and Consul the core's limits are looser (any number of
        // tags,
        // timeouts outside 3-120 s or not whole seconds): the checks below then decline what the core alone may take
        String type = oneOf(SettingsSchema.REGISTRY_TYPE);
        check(type.equals("service-registry")
                || type.equals(LiteEtcdBackend.TYPE)
                || type.equals(LiteEurekaBackend.TYPE)
                || type.equals(LiteConsulBackend.TYPE));
        String url = values.get(SettingsSchema.REGISTRY_URL.key()) == null
                ? SettingsSchema.defaultUrl(type)
                : string(SettingsSchema.REGISTRY_URL);
        List<String> urls = RegistrySettings.urls(url);
        boolean plain = urls.size() == 1 && urls.get(0).equals(url);
        // a list, or one in brackets: etcd's members or a Eureka server list, which the light clients fail over between
        // as the core's does; for another type the full reader says what is wrong
        check(plain || SettingsSchema.SEVERAL_URL_TYPES.contains(type));
        check(!urls.isEmpty());
        for (String one : urls) {
            URI uri = URI.create(one);
            // user info: the full reader says why it is refused
            check("http".equals(uri.getScheme()) && uri.getHost() != null && uri.getRawUserInfo() == null);
            // a service-registry URL without its /v1.0/{tenant} path: the full reader says what was meant
            check(!type.equals("service-registry") || SettingsSchema.isServiceRegistryBaseUrl(uri));
            // an etcd URL with the API's /v3 path, which the backend adds: the full reader says so
            check(!type.equals(LiteEtcdBackend.TYPE) || !SettingsSchema.isEtcdApiPath(uri.getRawPath()));
        }
        url = String.join(",", urls);
        RegistrySettings registry = new RegistrySettings(
                type,
                url,
                string(SettingsSchema.REGISTRY_TOKEN),
                null,
                null,
                null,
                duration(SettingsSchema.CONNECT_TIMEOUT),
                duration(SettingsSchema.REQUEST_TIMEOUT),
                new RegistrySettings.TlsSettings(null, null, null),
                Map.of());

        String id = string(SettingsSchema.SERVICE_ID);
        check(id == null || SettingsSchema.isServiceId(id));
        List<String> tags = list(SettingsSchema.SERVICE_TAGS);
        // "k=v,…" and service.metadata.<k> keys in different layers merge in HOCON's own way: let the core do it
        check(metadataKeys.isEmpty() || values.get(SettingsSchema.SERVICE_METADATA.key()) == null);
        Map<String, String> metadata = pairs(SettingsSchema.SERVICE_METADATA);
        metadata.putAll(metadataKeys);
        check(tags.size() <= SettingsSchema.MAX_TAGS);
        for (String tag : tags) {
            check(tag.length() <= SettingsSchema.MAX_TAG_LENGTH);
        }
        check(SettingsSchema.metadataPairs(metadata.keySet(), AgentSettings.ADDED_METADATA)
                <= SettingsSchema.MAX_METADATA_PAIRS);
        for (Map.Entry<String, String> pair : metadata.entrySet()) {
            check(!pair.getKey().isEmpty()
                    && pair.getKey().length() <= SettingsSchema.MAX_METADATA_LENGTH
                    && !pair.getValue().isEmpty()
                    && pair.getValue().length() <= SettingsSchema.MAX_METADATA_LENGTH);
        }
        String address = string(SettingsSchema.SERVICE_ADDRESS);
        check(address == null || AddressRule.problem(address) == null);
        ServiceSettings service = new ServiceSettings(string(SettingsSchema.SERVICE_NAME), id, tags, metadata, address);

        Duration timeout = duration(SettingsSchema.HEARTBEAT_TIMEOUT);
        check(timeout.toMillis() % 1000 == 0);
        Duration interval = durationOrNull(SettingsSchema.HEARTBEAT_INTERVAL, SettingsSchema.HEARTBEAT_INTERVAL.min());
        check(interval == null || interval.compareTo(timeout) < 0);
        Duration initial = duration(SettingsSchema.INITIAL_BACKOFF);
        Duration maxBackoff = durationOrNull(SettingsSchema.MAX_BACKOFF, initial);
        HeartbeatSettings heartbeat = new HeartbeatSettings(timeout, interval, initial, maxBackoff);

        Duration drain = duration(AgentSettings.DRAIN);
        Duration shutdownTimeout = duration(AgentSettings.SHUTDOWN_TIMEOUT);
        check(AgentSettings.drainFits(drain, shutdownTimeout)); // the core's reader says what is wrong
        String path = string(AgentSettings.READINESS_PATH);
        check(path.startsWith("/"));
        AgentSettings.Mode mode = oneOf(AgentSettings.MODE, AgentSettings.Mode.values());
        check(mode != AgentSettings.Mode.PER_PORT || id == null || id.length() <= AgentSettings.maxIdInPerPortMode());
        AgentSettings agent = new AgentSettings(
                mode,
                ports(AgentSettings.PORTS_INCLUDE),
                ports(AgentSettings.PORTS_EXCLUDE),
                bool(AgentSettings.INCLUDE_LOOPBACK),
                bool(AgentSettings.INCLUDE_LINK_LOCAL),
                bool(AgentSettings.INCLUDE_JDK_INTERNAL),
                oneOf(AgentSettings.READINESS, AgentSettings.Readiness.values()),
                path,
                drain,
                shutdownTimeout);
        Log.level(logLevel);
        return new AgentConfiguration(enabled, registry, service, heartbeat, agent, true);
    }

    private static void check(boolean ok) throws Doubt {
        if (!ok) {
            throw new Doubt();
        }
    }

    /** The value as given, or the declared default; null if neither. */
    private String string(Setting setting) throws Doubt {
        String value = values.get(setting.key());
        if (value == null) {
            return setting.defaultValue();
        }
        // HOCON would read these itself (null, quotes, substitutions, blanks, an object or a list): the core decides
        check(!value.trim().equals("null")
                && !value.trim().isEmpty()
                && value.trim().equals(value)
                && !value.contains("${")
                && !value.contains("\"")
                && !value.startsWith("{"));
        return value;
    }

    private boolean bool(Setting setting) throws Doubt {
        // HOCON's booleans, which are case-sensitive
        switch (string(setting)) {
            case "true":
            case "yes":
            case "on":
                return true;
            case "false":
            case "no":
            case "off":
                return false;
            default:
                throw new Doubt();
        }
    }

    private String oneOf(Setting setting) throws Doubt {
        String value = string(setting);
        check(setting.allowed().contains(value));
        return value;
    }

    /**
     * The constant an allowed value names ("per-port" names PER_PORT). The constants are passed in, not found by
     * {@code Class.getEnumConstants} or {@code Enum.valueOf}: those call {@code values()} reflectively, which since
     * JDK 18 spins method handles on a cold JVM (~0.3 ms of the agent's start-up on JDK 25). Compared ignoring
     * case, not lower-cased: a call per char of the JDK's case mapping, hot enough for the JIT in a cold JVM.
     */
    private <E extends Enum<E>> E oneOf(Setting setting, E[] constants) throws Doubt {
        String value = oneOf(setting);
        String name = value.replace('-', '_');
        for (E constant : constants) {
            if (constant.name().equalsIgnoreCase(name)) {
                return constant;
            }
        }
        throw new Doubt();
    }

    private Duration duration(Setting setting) throws Doubt {
        Duration d = durationOrNull(setting, setting.min());
        check(d != null);
        return d;
    }

    /** The shared unit rule ({@link Setting#parseDuration}), within {@code min} and the declared maximum. */
    private Duration durationOrNull(Setting setting, Duration min) throws Doubt {
        String value = string(setting);
        if (value == null) {
            return null;
        }
        Duration d = Setting.parseDuration(value);
        check(d != null && d.compareTo(min) >= 0 && d.compareTo(setting.max()) <= 0);
        return d;
    }

    private List<String> list(Setting setting) throws Doubt {
        String value = values.get(setting.key());
        if (value == null) {
            return List.of();
        }
        check(!value.contains("\"") && !value.contains("${"));
        return Setting.splitList(value);
    }

    private Map<String, String> pairs(Setting setting) throws Doubt {
        String value = values.get(setting.key());
        if (value == null) {
            return new LinkedHashMap<>();
        }
        check(!value.contains("\"") && !value.contains("${"));
        Map<String, String> out = Setting.splitPairs(value);
        check(out != null);
        return out;
    }

    private Set<Integer> ports(Setting setting) throws Doubt {
        Set<Integer> out = new LinkedHashSet<>();
        for (String value : list(setting)) {
            int port = Integer.parseInt(value);
            check(port >= 1 && port <= 65535);
            out.add(port);
        }
        return out;
    }
}
