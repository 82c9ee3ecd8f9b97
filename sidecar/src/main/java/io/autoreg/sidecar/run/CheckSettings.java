package io.autoreg.sidecar.run;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.autoreg.core.internal.settings.NearestName;
import io.autoreg.core.internal.settings.Setting;
import io.autoreg.core.internal.settings.SettingsException;
import io.autoreg.core.internal.settings.SettingsReader;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One watched neighbour: how to probe it and what to register for it. Immutable, validated when read.
 *
 * @param name     logical service name
 * @param id       instance id, or null for {@code <name>-<address>-<port>}
 * @param port     the neighbour's port (what gets registered)
 * @param host     where the probe connects (usually 127.0.0.1: the neighbour shares the pod)
 * @param command  exec: argv, else empty
 */
record CheckSettings(
        String name,
        String id,
        CheckType type,
        int port,
        String host,
        String path,
        String grpcService,
        List<String> command,
        Duration interval,
        Duration timeout,
        int rise,
        int fall,
        List<String> tags,
        Map<String, String> metadata) {

    static final Set<String> KEYS = Set.of(
            "type",
            "port",
            "host",
            "path",
            "grpc-service",
            "command",
            "interval",
            "timeout",
            "rise",
            "fall",
            "name",
            "id",
            "tags",
            "metadata");
    /** Keys an entry of {@code checks} takes from {@code check}; name, id, port, tags and metadata are its own. */
    static final List<String> INHERITED =
            List.of("type", "host", "path", "grpc-service", "command", "interval", "timeout", "rise", "fall");

    CheckSettings {
        command = List.copyOf(command);
        tags = List.copyOf(tags);
        metadata = Map.copyOf(metadata);
    }

    /** " (did you mean type?)" for a key a check nearly takes ({@code typ}); empty when none is near. */
    private static String nearest(String key) {
        String near = NearestName.among(key, KEYS, 2);
        return near == null ? "" : " (did you mean " + near + "?)";
    }

    /**
     * Reads one check from {@code section} (the object at {@code prefix}, such as
     * {@code autoreg.sidecar.check} or {@code autoreg.sidecar.checks[1]}); errors name the full key.
     *
     * @param own what the check itself says, without the defaults it inherits: a command given to a check that runs
     *            none is a mistake (the probe would silently not be the one meant), one inherited is not
     */
    static CheckSettings read(Config section, Config own, String prefix, String defaultName) {
        try {
            for (Map.Entry<String, ConfigValue> entry : section.root().entrySet()) {
                if (!KEYS.contains(entry.getKey())) {
                    throw new SettingsException(
                            prefix + "." + entry.getKey(),
                            SettingsReader.origin(entry.getValue().origin()),
                            SettingsReader.rendered(entry.getValue()),
                            "unknown key" + nearest(entry.getKey()) + "; a check takes "
                                    + String.join(", ", new TreeSet<>(KEYS)));
                }
            }
            SettingsReader reader = new SettingsReader(section);
            CheckType type = reader.oneOf("type", CheckType.class);
            if (!section.hasPath("port")) {
                throw reader.bad("port", "the neighbour's port is required, 1..65535");
            }
            int port = intIn(reader, "port", SidecarSchema.CHECK_PORT);
            String name = reader.stringOrNull("name");
            String path = reader.string("path");
            if (!path.startsWith("/")) {
                throw reader.bad("path", "an absolute path such as /health");
            }
            boolean grpc = type == CheckType.GRPC || type == CheckType.GRPCS;
            // the single check's own section holds the built-in /health: only a path someone wrote is a mistake
            if (grpc && own.hasPath("path") && !new SettingsReader(own).isBuiltInDefault("path")) {
                throw reader.bad(
                        "path",
                        "no path for a grpc check: it calls grpc.health.v1.Health/Check; the service it asks about is"
                                + " grpc-service");
            }
            String grpcService = reader.stringOrNull("grpc-service");
            if (!grpc && own.hasPath("grpc-service")) {
                throw reader.bad(
                        "grpc-service",
                        "no grpc-service for a " + type.name().toLowerCase(Locale.ROOT)
                                + " check: only a grpc or grpcs check asks a service");
            }
            List<String> command = command(section, reader);
            if (type == CheckType.EXEC && command.isEmpty()) {
                throw reader.bad(
                        "command", "an exec check needs a command: a list [\"pg_isready\", \"-q\"] or a shell string");
            }
            if (type != CheckType.EXEC && own.hasPath("command")) {
                throw reader.bad(
                        "command",
                        "no command for a " + type.name().toLowerCase(Locale.ROOT)
                                + " check: only an exec check runs one");
            }
            Duration interval =
                    reader.duration("interval", SidecarSchema.CHECK_INTERVAL.min(), SidecarSchema.CHECK_INTERVAL.max());
            Duration timeout =
                    reader.duration("timeout", SidecarSchema.CHECK_TIMEOUT.min(), SidecarSchema.CHECK_TIMEOUT.max());
            String id = reader.stringOrNull("id");
            if (id != null && !id.matches("[a-zA-Z0-9_.-]{3,65}")) {
                throw reader.bad("id", "3..65 characters of [a-zA-Z0-9_.-]");
            }
            return new CheckSettings(
                    name == null ? defaultName : name,
                    id,
                    type,
                    port,
                    reader.string("host"),
                    path,
                    grpcService == null ? "" : grpcService,
                    command,
                    interval,
                    timeout,
                    intIn(reader, "rise", SidecarSchema.CHECK_RISE),
                    intIn(reader, "fall", SidecarSchema.CHECK_FALL),
                    reader.stringList("tags"),
                    reader.stringMap("metadata"));
        } catch (SettingsException e) {
            throw e.key() == null || e.key().startsWith(prefix)
                    ? e
                    : new SettingsException(prefix + "." + e.getMessage());
        }
    }

    /** {@code key} relative to the check being read, in the range the schema declares for it. */
    private static int intIn(SettingsReader reader, String key, Setting declared) {
        return reader.intIn(key, (int) declared.lowest(), (int) declared.highest());
    }

    private static List<String> command(Config section, SettingsReader reader) {
        if (!section.hasPath("command")) {
            return List.of();
        }
        if (section.getValue("command").valueType() == ConfigValueType.LIST) {
            return reader.stringList("command");
        }
        return List.of("sh", "-c", reader.string("command"));
    }

    /** Where the probe goes, for log lines and {@code /healthz}. */
    String target() {
        switch (type) {
            case HTTP:
            case HTTPS:
                return type.name().toLowerCase(Locale.ROOT) + "://" + hostForUrl() + ":" + port + path;
            case TCP:
                return "tcp " + host + ":" + port;
            case GRPC:
            case GRPCS:
                return type.name().toLowerCase(Locale.ROOT) + " " + hostForUrl() + ":" + port
                        + (grpcService.isEmpty() ? "" : " service " + grpcService);
            default:
                return "exec " + String.join(" ", command);
        }
    }

    String hostForUrl() {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
