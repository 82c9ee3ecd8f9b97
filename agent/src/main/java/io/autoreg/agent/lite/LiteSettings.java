package io.autoreg.agent.lite;

import io.autoreg.agent.register.AgentConfiguration;
import io.autoreg.agent.register.AgentSettings;
import io.autoreg.core.log.Log;
import io.autoreg.core.settings.HeartbeatSettings;
import io.autoreg.core.settings.RegistrySettings;
import io.autoreg.core.settings.ServiceSettings;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The fast path for the common configuration: agent arguments, {@code -Dautoreg.*} and
 * {@code AUTOREG_*} only, the default {@code service-registry} over plain HTTP. Typesafe Config costs
 * ~100 ms of CPU and ~19 MiB of RSS in a cold JVM (agent-facts.md, measured with agent/bench), which
 * alone would break the agent's start-up budget.
 *
 * <p>This reader is deliberately <b>strict and partial</b>: it accepts only keys it knows and values
 * that are plainly valid, with the same defaults and ranges as {@code autoreg-defaults.conf} and the
 * core's validator. For anything else — a config file, another registry type, TLS or auth, an
 * unknown key, a value it doubts — it returns {@code null} and the agent reads the settings with the
 * core's {@code SettingsLoader}, which is the single authority on errors (key, origin, allowed).
 * {@code LiteSettingsTest} checks both readers agree.
 */
public final class LiteSettings {

    private static final String ID_PUNCTUATION = "_.-";

    /** Environment variables declared in the defaults ({@code ${?…}}), by key relative to {@code autoreg.}. */
    private static final Map<String, List<String>> ENV = new LinkedHashMap<>();

    static {
        env("enabled", "AUTOREG_ENABLED");
        env("log.level", "AUTOREG_LOG_LEVEL");
        env("registry.type", "AUTOREG_REGISTRY_TYPE");
        env("registry.url", "AUTOREG_REGISTRY_URL");
        env("registry.token", "AUTOREG_REGISTRY_TOKEN", "AUTOREG_TOKEN");
        env("registry.connect-timeout", "AUTOREG_REGISTRY_CONNECT_TIMEOUT");
        env("registry.request-timeout", "AUTOREG_REGISTRY_REQUEST_TIMEOUT");
        env("service.name", "AUTOREG_SERVICE_NAME");
        env("service.id", "AUTOREG_SERVICE_ID");
        env("service.tags", "AUTOREG_SERVICE_TAGS");
        env("service.metadata", "AUTOREG_SERVICE_METADATA");
        env("service.address", "AUTOREG_SERVICE_ADDRESS");
        env("heartbeat.timeout", "AUTOREG_HEARTBEAT_TIMEOUT");
        env("heartbeat.interval", "AUTOREG_HEARTBEAT_INTERVAL");
        env("retry.initial-backoff", "AUTOREG_RETRY_INITIAL_BACKOFF");
        env("retry.max-backoff", "AUTOREG_RETRY_MAX_BACKOFF");
        env("agent.mode", "AUTOREG_AGENT_MODE");
        env("agent.ports.include", "AUTOREG_AGENT_PORTS_INCLUDE");
        env("agent.ports.exclude", "AUTOREG_AGENT_PORTS_EXCLUDE");
        env("agent.include-loopback", "AUTOREG_AGENT_INCLUDE_LOOPBACK");
        env("agent.include-link-local", "AUTOREG_AGENT_INCLUDE_LINK_LOCAL");
        env("agent.include-jdk-internal", "AUTOREG_AGENT_INCLUDE_JDK_INTERNAL");
        env("agent.readiness", "AUTOREG_AGENT_READINESS");
        env("agent.readiness-path", "AUTOREG_AGENT_READINESS_PATH");
        env("agent.drain", "AUTOREG_AGENT_DRAIN");
        env("agent.shutdown-timeout", "AUTOREG_AGENT_SHUTDOWN_TIMEOUT");
    }

    /** Environment variables that need the full reader (files, auth, TLS). */
    private static final List<String> FULL_ONLY_ENV = List.of("AUTOREG_CONFIG", "AUTOREG_REGISTRY_AUTH_USERNAME",
            "AUTOREG_REGISTRY_AUTH_API_KEY", "AUTOREG_REGISTRY_AUTH_URL", "AUTOREG_REGISTRY_TLS_CA_FILE",
            "AUTOREG_REGISTRY_TLS_CERT_FILE", "AUTOREG_REGISTRY_TLS_KEY_FILE");

    private final Map<String, String> values;
    private final Map<String, String> metadataKeys = new LinkedHashMap<>();

    private LiteSettings(Map<String, String> values) {
        this.values = values;
    }

    private static void env(String key, String... names) {
        ENV.put(key, List.of(names));
    }

    /** The configuration, or null when it needs the full reader. Never throws. */
    public static AgentConfiguration readOrNull(Map<String, String> overrides, Properties sys, Map<String, String> env) {
        try {
            for (String name : FULL_ONLY_ENV) {
                if (env.get(name) != null) {
                    return null;
                }
            }
            Map<String, String> values = new LinkedHashMap<>();
            // in declaration order, a later variable wins (as with repeated ${?…} lines in the defaults)
            for (Map.Entry<String, List<String>> variable : ENV.entrySet()) {
                for (String name : variable.getValue()) {
                    if (env.get(name) != null) {
                        values.put(variable.getKey(), env.get(name));
                    }
                }
            }
            for (String name : sys.stringPropertyNames()) {
                if (name.startsWith("autoreg.")) {
                    values.put(name.substring("autoreg.".length()), sys.getProperty(name));
                }
            }
            values.putAll(overrides);
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
        for (String key : values.keySet()) {
            if (key.startsWith("service.metadata.") && key.length() > "service.metadata.".length()) {
                metadataKeys.put(key.substring("service.metadata.".length()), values.get(key));
            } else if (!ENV.containsKey(key)) {
                throw new Doubt();
            }
        }
        boolean enabled = bool("enabled", true);
        String level = string("log.level", "warn").toUpperCase(Locale.ROOT);
        Log.Level logLevel = Log.Level.valueOf(level);

        if (!string("registry.type", "service-registry").equals("service-registry")) {
            throw new Doubt();
        }
        String url = string("registry.url", "http://127.0.0.1:8870/v1.0/default");
        URI uri = URI.create(url);
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new Doubt();
        }
        RegistrySettings registry = new RegistrySettings("service-registry", url, stringOrNull("registry.token"),
                null, null, null,
                duration("registry.connect-timeout", "2s", Duration.ofMillis(100), Duration.ofSeconds(60)),
                duration("registry.request-timeout", "5s", Duration.ofMillis(100), Duration.ofMinutes(5)),
                new RegistrySettings.TlsSettings(null, null, null), Map.of());

        String id = stringOrNull("service.id");
        check(id == null || isServiceId(id));
        List<String> tags = list("service.tags");
        // "k=v,…" and service.metadata.<k> keys in different layers merge in HOCON's own way: let the core do it
        check(metadataKeys.isEmpty() || values.get("service.metadata") == null);
        Map<String, String> metadata = pairs("service.metadata");
        metadata.putAll(metadataKeys);
        check(tags.size() <= 10);
        for (String tag : tags) {
            check(tag.length() <= 55);
        }
        check(metadata.size() <= 20);
        for (Map.Entry<String, String> pair : metadata.entrySet()) {
            check(!pair.getKey().isEmpty() && pair.getKey().length() <= 255
                    && !pair.getValue().isEmpty() && pair.getValue().length() <= 255);
        }
        String address = stringOrNull("service.address");
        check(address == null || !(address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]")));
        ServiceSettings service = new ServiceSettings(stringOrNull("service.name"), id, tags, metadata, address);

        Duration timeout = duration("heartbeat.timeout", "30s", Duration.ofSeconds(3), Duration.ofSeconds(120));
        check(timeout.toMillis() % 1000 == 0);
        Duration interval = values.get("heartbeat.interval") == null || values.get("heartbeat.interval").equals("null")
                ? null : duration("heartbeat.interval", null, Duration.ofMillis(100), Duration.ofSeconds(120));
        check(interval == null || interval.compareTo(timeout) < 0);
        Duration initial = duration("retry.initial-backoff", "250ms", Duration.ofMillis(1), Duration.ofMinutes(1));
        Duration maxBackoff = duration("retry.max-backoff", "10s", initial, Duration.ofMinutes(10));
        HeartbeatSettings heartbeat = new HeartbeatSettings(timeout, interval, initial, maxBackoff);

        String path = string("agent.readiness-path", "/");
        check(path.startsWith("/"));
        AgentSettings agent = new AgentSettings(
                oneOf("agent.mode", "per-jvm", AgentSettings.Mode.class),
                ports("agent.ports.include"), ports("agent.ports.exclude"),
                bool("agent.include-loopback", false), bool("agent.include-link-local", false),
                bool("agent.include-jdk-internal", false),
                oneOf("agent.readiness", "none", AgentSettings.Readiness.class), path,
                duration("agent.drain", "0s", Duration.ZERO, Duration.ofMinutes(5)),
                duration("agent.shutdown-timeout", "3s", Duration.ofMillis(100), Duration.ofMinutes(10)));
        Log.level(logLevel);
        return new AgentConfiguration(enabled, registry, service, heartbeat, agent, true);
    }

    private static void check(boolean ok) throws Doubt {
        if (!ok) {
            throw new Doubt();
        }
    }

    private String stringOrNull(String key) throws Doubt {
        String value = values.get(key);
        if (value == null || value.trim().equals("null")) {
            return null;
        }
        check(!value.trim().isEmpty() && !value.contains("${") && !value.contains("\""));
        return value.trim();
    }

    private String string(String key, String fallback) throws Doubt {
        String value = stringOrNull(key);
        return value == null ? fallback : value;
    }

    private boolean bool(String key, boolean fallback) throws Doubt {
        String value = string(key, Boolean.toString(fallback)).toLowerCase(Locale.ROOT);
        switch (value) {
            case "true": case "yes": case "on": return true;
            case "false": case "no": case "off": return false;
            default: throw new Doubt();
        }
    }

    private List<String> list(String key) throws Doubt {
        List<String> out = new ArrayList<>();
        String value = stringOrNull(key);
        if (value != null) {
            check(!value.startsWith("["));
            for (String part : value.split(",")) {
                if (!part.trim().isEmpty()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    private Map<String, String> pairs(String key) throws Doubt {
        Map<String, String> out = new LinkedHashMap<>();
        String value = stringOrNull(key);
        if (value != null) {
            check(!value.startsWith("{"));
            for (String pair : value.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                check(eq > 0);
                out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        return out;
    }

    private Set<Integer> ports(String key) throws Doubt {
        Set<Integer> out = new LinkedHashSet<>();
        for (String value : list(key)) {
            int port = Integer.parseInt(value);
            check(port >= 1 && port <= 65535);
            out.add(port);
        }
        return out;
    }

    private <E extends Enum<E>> E oneOf(String key, String fallback, Class<E> type) throws Doubt {
        String value = string(key, fallback);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(value)) {
                return constant;
            }
        }
        throw new Doubt();
    }

    /** {@code ^[a-zA-Z0-9_.-]{3,65}$}, without the regex engine (its classes and allocations are not free in a cold JVM). */
    private static boolean isServiceId(String id) {
        if (id.length() < 3 || id.length() > 65) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c < 128 && Character.isLetterOrDigit(c)) && ID_PUNCTUATION.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** HOCON's duration format as far as the fast path goes: digits, optional spaces, an optional unit. */
    private Duration duration(String key, String fallback, Duration min, Duration max) throws Doubt {
        String value = string(key, fallback);
        check(value != null);
        int digits = 0;
        while (digits < value.length() && Character.isDigit(value.charAt(digits)) && value.charAt(digits) < 128) {
            digits++;
        }
        check(digits > 0 && digits <= 12);
        long amount = Long.parseLong(value.substring(0, digits));
        Duration d;
        switch (value.substring(digits).trim()) {
            case "": case "ms": case "milli": case "millis": case "millisecond": case "milliseconds":
                d = Duration.ofMillis(amount);
                break;
            case "s": case "second": case "seconds":
                d = Duration.ofSeconds(amount);
                break;
            case "m": case "minute": case "minutes":
                d = Duration.ofMinutes(amount);
                break;
            case "h": case "hour": case "hours":
                d = Duration.ofHours(amount);
                break;
            default:
                throw new Doubt();
        }
        check(d.compareTo(min) >= 0 && d.compareTo(max) <= 0);
        return d;
    }
}
