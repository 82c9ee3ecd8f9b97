package io.autoreg.agent.register;

import io.autoreg.core.internal.settings.Setting;
import io.autoreg.core.internal.settings.SettingsSchema;
import java.time.Duration;
import java.util.List;
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
            .described("Probe a bound port before registering: none, tcp (connect) or http (GET readiness-path, 2xx"
                    + " or 3xx as the kubelet takes it); still failing after 15 s, said once per way of failing.");
    public static final Setting READINESS_PATH =
            Setting.string("agent.readiness-path", "/").described("Path of the http readiness probe.");
    public static final Setting DRAIN = Setting.duration("agent.drain", "0s", Duration.ZERO, Duration.ofMinutes(5))
            .described("On shutdown: mark out of service where the registry can, wait this long, then deregister;"
                    + " less than agent.shutdown-timeout.");
    public static final Setting SHUTDOWN_TIMEOUT = Setting.duration(
                    "agent.shutdown-timeout", "3s", Duration.ofMillis(100), Duration.ofMinutes(10))
            .described("Bound on the whole deregistration at JVM exit, so a dead registry never hangs the exit.");

    /**
     * Whether a drain leaves time for the deregistration: both happen inside {@link #SHUTDOWN_TIMEOUT}'s bound at exit.
     */
    public static boolean drainFits(Duration drain, Duration shutdownTimeout) {
        return drain.isZero() || drain.compareTo(shutdownTimeout) < 0;
    }

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

    /** Configured metadata pairs (with keys of their own) that fit next to what the agent adds. */
    public static int metadataPairsLeft() {
        return SettingsSchema.MAX_METADATA_PAIRS - 1 - ADDED_METADATA.size();
    }

    public static int maxIdInPerPortMode() {
        return SettingsSchema.MAX_ID_LENGTH - PORT_SUFFIX_LENGTH;
    }
}
