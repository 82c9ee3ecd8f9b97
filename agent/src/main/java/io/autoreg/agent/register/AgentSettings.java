package io.autoreg.agent.register;

import io.autoreg.core.settings.SettingsReader;

import java.time.Duration;
import java.util.LinkedHashSet;
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
public record AgentSettings(Mode mode, Set<Integer> includePorts, Set<Integer> excludePorts,
                            boolean includeLoopback, boolean includeLinkLocal, boolean includeJdkInternal,
                            Readiness readiness, String readinessPath, Duration drain, Duration shutdownTimeout) {

    public enum Mode { PER_JVM, PER_PORT }

    public enum Readiness { NONE, TCP, HTTP }

    public static final String RESOURCE = "io/autoreg/agent/agent-defaults.conf";

    public AgentSettings {
        includePorts = Set.copyOf(includePorts);
        excludePorts = Set.copyOf(excludePorts);
    }

    public static AgentSettings read(SettingsReader reader) {
        String path = reader.string("autoreg.agent.readiness-path");
        if (!path.startsWith("/")) {
            throw reader.bad("autoreg.agent.readiness-path", "expected a path starting with /");
        }
        return new AgentSettings(
                reader.oneOf("autoreg.agent.mode", Mode.class),
                ports(reader, "autoreg.agent.ports.include"),
                ports(reader, "autoreg.agent.ports.exclude"),
                reader.bool("autoreg.agent.include-loopback"),
                reader.bool("autoreg.agent.include-link-local"),
                reader.bool("autoreg.agent.include-jdk-internal"),
                reader.oneOf("autoreg.agent.readiness", Readiness.class),
                path,
                reader.duration("autoreg.agent.drain", Duration.ZERO, Duration.ofMinutes(5)),
                reader.duration("autoreg.agent.shutdown-timeout", Duration.ofMillis(100), Duration.ofMinutes(10)));
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
