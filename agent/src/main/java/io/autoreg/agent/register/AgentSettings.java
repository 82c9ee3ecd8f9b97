package io.autoreg.agent.register;

import io.autoreg.core.internal.settings.Setting;
import io.autoreg.core.internal.settings.SettingsReader;
import io.autoreg.core.internal.settings.SettingsSchema;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code autoreg.agent.*}, read once and validated eagerly.
 *
 * @param mode              one registration per JVM or per port
 * @param includePorts      only these ports (empty: any)
 * @param excludePorts      never these ports
 * @param includeLoopback   register listeners bound to loopback only
 * @param includeLinkLocal  register listeners bound to a link-local address
 * @param includeJdkInternal register JMX/RMI/debugger listeners
 * @param readiness         probe before registering
 * @param readinessPath     path of the HTTP probe
 * @param drain             wait after marking out of service on shutdown
 * @param shutdownTimeout   bound of the whole shutdown deregistration
 */
public record AgentSettings(
        Mode mode,
        Set<Integer> includePorts,
        Set<Integer> excludePorts,
        boolean includeLoopback,
        boolean includeLinkLocal,
        boolean includeJdkInternal,
        Readiness readiness,
        String readinessPath,
        Duration drain,
        Duration shutdownTimeout) {

    public enum Mode {
        PER_JVM,
        PER_PORT
    }

    public enum Readiness {
        NONE,
        TCP,
        HTTP
    }

    public static final String RESOURCE = "io/autoreg/agent/agent-defaults.conf";

    public static final Setting MODE = Setting.oneOf("agent.mode", "per-jvm", "per-jvm", "per-port")
            .described("per-jvm: one registration for the JVM (first eligible port); per-port: one per eligible port.");
    public static final Setting PORTS_INCLUDE =
            Setting.list("agent.ports.include").described("Only these ports are registered (empty: any).");
    public static final Setting PORTS_EXCLUDE =
            Setting.list("agent.ports.exclude").described("These ports are never registered.");
    public static final Setting INCLUDE_LOOPBACK =
            Setting.bool("agent.include-loopback", false).described("Also register listeners bound to loopback only.");
    public static final Setting INCLUDE_LINK_LOCAL = Setting.bool("agent.include-link-local", false)
            .described("Also register listeners bound to a link-local address.");
    public static final Setting INCLUDE_JDK_INTERNAL = Setting.bool("agent.include-jdk-internal", false)
            .described("Also register listeners the JDK opens itself (JMX, RMI, the debugger).");
    public static final Setting READINESS = Setting.oneOf("agent.readiness", "none", "none", "tcp", "http")
            .described("Probe a bound port before registering: none, tcp (connect) or http (GET readiness-path, 2xx).");
    public static final Setting READINESS_PATH =
            Setting.string("agent.readiness-path", "/").described("Path of the http readiness probe.");
    public static final Setting DRAIN = Setting.duration("agent.drain", "0s", Duration.ZERO, Duration.ofMinutes(5))
            .described("On shutdown: mark out of service where the registry can, wait this long, then deregister.");
    public static final Setting SHUTDOWN_TIMEOUT = Setting.duration(
                    "agent.shutdown-timeout", "3s", Duration.ofMillis(100), Duration.ofMinutes(10))
            .described("Bound on the whole deregistration at JVM exit, so a dead registry never hangs the exit.");

    /** {@code autoreg.agent.*}, in the order of {@link #RESOURCE}. */
    public static final List<Setting> SCHEMA = List.of(
            MODE,
            PORTS_INCLUDE,
            PORTS_EXCLUDE,
            INCLUDE_LOOPBACK,
            INCLUDE_LINK_LOCAL,
            INCLUDE_JDK_INTERNAL,
            READINESS,
            READINESS_PATH,
            DRAIN,
            SHUTDOWN_TIMEOUT);

    /** The metadata keys the agent sets on every registration ({@code InstanceFactory}). */
    public static final List<String> ADDED_METADATA = List.of("port", "ports", "host", "pid", "java_version", "main");
    /** What per-port mode appends to a configured id: {@code -} and up to five digits. */
    public static final int PORT_SUFFIX_LENGTH = 6;

    public AgentSettings {
        includePorts = Set.copyOf(includePorts);
        excludePorts = Set.copyOf(excludePorts);
    }

    public static AgentSettings read(SettingsReader reader) {
        String path = reader.string(READINESS_PATH.path());
        if (!path.startsWith("/")) {
            throw reader.bad(READINESS_PATH.path(), "expected a path starting with /");
        }
        Mode mode = reader.oneOf(MODE.path(), Mode.class);
        checkRegistryLimits(reader, mode);
        return new AgentSettings(
                mode,
                ports(reader, PORTS_INCLUDE.path()),
                ports(reader, PORTS_EXCLUDE.path()),
                reader.bool(INCLUDE_LOOPBACK.path()),
                reader.bool(INCLUDE_LINK_LOCAL.path()),
                reader.bool(INCLUDE_JDK_INTERNAL.path()),
                reader.oneOf(READINESS.path(), Readiness.class),
                path,
                reader.duration(DRAIN),
                reader.duration(SHUTDOWN_TIMEOUT));
    }

    /**
     * What service-registry will accept once the agent has added its part: its metadata keys next to the
     * configured ones, and {@code -<port>} after a configured id in per-port mode. Refused there, the
     * registration would fail on every attempt; refused here, the line names the setting.
     */
    private static void checkRegistryLimits(SettingsReader reader, Mode mode) {
        if (!reader.string(SettingsSchema.REGISTRY_TYPE.path()).equals("service-registry")) {
            return;
        }
        Map<String, String> metadata = reader.stringMap(SettingsSchema.SERVICE_METADATA.path());
        if (SettingsSchema.metadataPairs(metadata.keySet(), ADDED_METADATA) > SettingsSchema.MAX_METADATA_PAIRS) {
            throw reader.bad(
                    SettingsSchema.SERVICE_METADATA.path(),
                    "expected at most "
                            + metadataPairsLeft() + " pairs of your own: service-registry takes "
                            + SettingsSchema.MAX_METADATA_PAIRS + ", and the agent adds "
                            + SettingsSchema.NAME_METADATA_KEY
                            + ", " + String.join(", ", ADDED_METADATA));
        }
        String id = reader.stringOrNull(SettingsSchema.SERVICE_ID.path());
        if (mode == Mode.PER_PORT && id != null && id.length() > maxIdInPerPortMode()) {
            throw reader.bad(
                    SettingsSchema.SERVICE_ID.path(),
                    "expected at most " + maxIdInPerPortMode()
                            + " characters in per-port mode: the agent appends -<port> and service-registry takes "
                            + SettingsSchema.MAX_ID_LENGTH);
        }
    }

    /** Configured metadata pairs (with keys of their own) that fit next to what the agent adds. */
    public static int metadataPairsLeft() {
        return SettingsSchema.MAX_METADATA_PAIRS - 1 - ADDED_METADATA.size();
    }

    public static int maxIdInPerPortMode() {
        return SettingsSchema.MAX_ID_LENGTH - PORT_SUFFIX_LENGTH;
    }

    private static Set<Integer> ports(SettingsReader reader, String key) {
        Set<Integer> ports = new LinkedHashSet<>();
        List<String> values = reader.stringList(key);
        for (String value : values) {
            int port;
            try {
                port = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw reader.bad(key, "expected a list of ports 1..65535 such as [8080, 8443] or 8080,8443");
            }
            if (port < 1 || port > 65535) {
                throw reader.bad(key, "expected a list of ports 1..65535 such as [8080, 8443] or 8080,8443");
            }
            ports.add(port);
        }
        return ports;
    }
}
