package io.autoreg.sidecar.exec;

import io.autoreg.sidecar.cli.FlagOverrides;
import io.autoreg.sidecar.cli.KeyValues;
import io.autoreg.sidecar.cli.Options;
import io.autoreg.sidecar.cli.ParsedArgs;
import io.autoreg.sidecar.cli.UsageException;

import java.util.List;
import java.util.Map;

/**
 * The original process wrapper's flags, flag for flag ({@code --id}, {@code --tags}/{@code -t},
 * {@code --metadata}/{@code -m}, {@code --interval}/{@code -i} in seconds, {@code --abort-on-failure}),
 * plus connection flags, turned into settings overrides.
 */
record ExecOptions(List<String> command, boolean abortOnFailure, FlagOverrides overrides, String config,
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
        FlagOverrides overrides = new FlagOverrides();
        overrides.put("service.id", args.value("id"), "--id");
        overrides.put("service.name", args.value("name"), "--name");
        if (args.has("tags")) {
            overrides.put("service.tags", String.join(",", KeyValues.list(args.values("tags"))), "--tags");
        }
        if (args.has("metadata")) {
            Map<String, String> metadata = KeyValues.map("metadata", args.values("metadata"));
            StringBuilder pairs = new StringBuilder();
            metadata.forEach((k, v) -> pairs.append(pairs.length() == 0 ? "" : ",").append(k).append('=').append(v));
            overrides.put("service.metadata", pairs.toString(), "--metadata");
        }
        Integer interval = args.intValue("interval", 3, 120);
        if (interval != null) {
            // the default, 30 s, is autoreg.heartbeat.timeout's own default (also settable by env or file)
            overrides.put("heartbeat.timeout", interval + "s", "--interval");
        }
        boolean registryUrl = args.value("registry-url") != null;
        overrides.put("registry.url", registryUrl ? args.value("registry-url") : args.value("url"),
                registryUrl ? "--registry-url" : "--url");
        overrides.put("registry.token", args.value("token"), "--token");
        overrides.put("registry.auth.username", args.value("username"), "--username");
        overrides.put("registry.auth.api-key", args.value("api-key"), "--api-key");
        overrides.put("log.level", args.value("log-level"), "--log-level");
        return new ExecOptions(args.rest(), args.flag("abort-on-failure"), overrides, args.value("config"),
                args.intValue("port", 1, 65535));
    }
}
