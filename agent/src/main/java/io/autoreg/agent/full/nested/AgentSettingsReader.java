package io.autoreg.agent.full.nested;

import io.autoreg.agent.register.AgentSettings;
import io.autoreg.core.internal.settings.SettingsReader;
import io.autoreg.core.internal.settings.SettingsSchema;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@link AgentSettings} with the core's Typesafe Config reader (the full path). It sits in the nested libraries
 * jar with that reader: the agent's own classes must not name it (see {@link io.autoreg.agent.full.FullPath}); public
 * for the agent's tests, which compare the fast path with it.
 */
public final class AgentSettingsReader {

    private AgentSettingsReader() {}

    /** {@code autoreg.agent.*} from the core's reader, validated eagerly: a bad value names its key and origin. */
    public static AgentSettings read(SettingsReader reader) {
        String path = reader.string(AgentSettings.READINESS_PATH.path());
        if (!path.startsWith("/")) {
            throw reader.bad(AgentSettings.READINESS_PATH.path(), "expected a path starting with /");
        }
        AgentSettings.Mode mode = reader.oneOf(AgentSettings.MODE.path(), AgentSettings.Mode.class);
        checkRegistryLimits(reader, mode);
        Duration drain = reader.duration(AgentSettings.DRAIN);
        Duration shutdownTimeout = reader.duration(AgentSettings.SHUTDOWN_TIMEOUT);
        if (!AgentSettings.drainFits(drain, shutdownTimeout)) {
            // the drain is spent inside the shutdown's bound: the deregistration would never be sent
            throw reader.bad(
                    AgentSettings.DRAIN.path(),
                    "expected less than " + AgentSettings.SHUTDOWN_TIMEOUT.path() + " ("
                            + SettingsReader.format(shutdownTimeout) + "), which bounds the drain and the"
                            + " deregistration after it; raise that too, e.g. to the drain + 3s");
        }
        return new AgentSettings(
                mode,
                ports(reader, AgentSettings.PORTS_INCLUDE.path()),
                ports(reader, AgentSettings.PORTS_EXCLUDE.path()),
                reader.bool(AgentSettings.INCLUDE_LOOPBACK.path()),
                reader.bool(AgentSettings.INCLUDE_LINK_LOCAL.path()),
                reader.bool(AgentSettings.INCLUDE_JDK_INTERNAL.path()),
                reader.oneOf(AgentSettings.READINESS.path(), AgentSettings.Readiness.class),
                path,
                drain,
                shutdownTimeout);
    }

    /**
     * What service-registry will accept once the agent has added its part: its metadata keys next to the
     * configured ones, and {@code -<port>} after a configured id in per-port mode. Refused there, the
     * registration would fail on every attempt; refused here, the line names the setting.
     */
    private static void checkRegistryLimits(SettingsReader reader, AgentSettings.Mode mode) {
        if (!reader.string(SettingsSchema.REGISTRY_TYPE.path()).equals("service-registry")) {
            return;
        }
        Map<String, String> metadata = reader.stringMap(SettingsSchema.SERVICE_METADATA.path());
        if (SettingsSchema.metadataPairs(metadata.keySet(), AgentSettings.ADDED_METADATA)
                > SettingsSchema.MAX_METADATA_PAIRS) {
            throw reader.bad(
                    SettingsSchema.SERVICE_METADATA.path(),
                    "expected at most "
                            + AgentSettings.metadataPairsLeft() + " pairs of your own: service-registry takes "
                            + SettingsSchema.MAX_METADATA_PAIRS + ", and the agent adds "
                            + SettingsSchema.NAME_METADATA_KEY
                            + ", " + String.join(", ", AgentSettings.ADDED_METADATA));
        }
        String id = reader.stringOrNull(SettingsSchema.SERVICE_ID.path());
        if (mode == AgentSettings.Mode.PER_PORT && id != null && id.length() > AgentSettings.maxIdInPerPortMode()) {
            throw reader.bad(
                    SettingsSchema.SERVICE_ID.path(),
                    "expected at most " + AgentSettings.maxIdInPerPortMode()
                            + " characters in per-port mode: the agent appends -<port> and service-registry takes "
                            + SettingsSchema.MAX_ID_LENGTH);
        }
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
