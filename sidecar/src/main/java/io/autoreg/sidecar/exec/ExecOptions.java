package io.autoreg.sidecar.exec;

import io.autoreg.sidecar.cli.KeyValues;
import io.autoreg.sidecar.cli.Options;
import io.autoreg.sidecar.cli.ParsedArgs;
import io.autoreg.sidecar.cli.UsageException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The original process wrapper's flags, flag for flag ({@code --id}, {@code --tags}/{@code -t},
 * {@code --metadata}/{@code -m}, {@code --interval}/{@code -i} in seconds, {@code --abort-on-failure}),
 * plus connection flags, turned into settings overrides.
 */
record ExecOptions(List<String> command, boolean abortOnFailure, Map<String, String> overrides, String config,
                   Integer port) {

    static Options options() {
        return new Options().stopAtFirstPositional()
                .value("id").value("name").value("tags", "t").value("metadata", "m").value("interval", "i")
                .flag("abort-on-failure").value("port")
                .value("registry-url").value("url").value("token").value("username").value("api-key")
                .value("config").value("log-level");
    }

    static ExecOptions from(ParsedArgs args) {
        if (args.rest().isEmpty()) {
            throw new UsageException("no command to run: exec [options] -- CMD ARGS...");
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        put(overrides, "service.id", args.value("id"));
        put(overrides, "service.name", args.value("name"));
        if (args.has("tags")) {
            overrides.put("service.tags", String.join(",", KeyValues.list(args.values("tags"))));
        }
        if (args.has("metadata")) {
            Map<String, String> metadata = KeyValues.map("metadata", args.values("metadata"));
            StringBuilder pairs = new StringBuilder();
            metadata.forEach((k, v) -> pairs.append(pairs.length() == 0 ? "" : ",").append(k).append('=').append(v));
            overrides.put("service.metadata", pairs.toString());
        }
        Integer interval = args.intValue("interval", 3, 120);
        if (interval != null) {
            // the default, 30 s, is autoreg.heartbeat.timeout's own default (also settable by env or file)
            overrides.put("heartbeat.timeout", interval + "s");
        }
        put(overrides, "registry.url", args.value("registry-url") != null ? args.value("registry-url") : args.value("url"));
        put(overrides, "registry.token", args.value("token"));
        put(overrides, "registry.auth.username", args.value("username"));
        put(overrides, "registry.auth.api-key", args.value("api-key"));
        put(overrides, "log.level", args.value("log-level"));
        return new ExecOptions(args.rest(), args.flag("abort-on-failure"), overrides, args.value("config"),
                args.intValue("port", 1, 65535));
    }

    private static void put(Map<String, String> overrides, String key, String value) {
        if (value != null) {
            overrides.put(key, value);
        }
    }
}
