package io.autoreg.sidecar.cli;

import io.autoreg.core.internal.log.Log;
import io.autoreg.core.internal.settings.AutoregSettings;
import io.autoreg.core.internal.settings.Setting;
import io.autoreg.core.internal.settings.SettingsLoader;
import io.autoreg.core.internal.settings.UnknownVariables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * The flags every command shares (run, exec and the operator commands alike): where the registry is and
 * who we are, the settings file, any setting by key, and the log level. Each is a shorthand for an
 * {@code autoreg.*} key; precedence flags &gt; {@code -Dautoreg.*} &gt; {@code AUTOREG_*} env &gt; file &gt; defaults.
 */
public final class RegistryOptions {

    @Option(
            names = "--registry-url",
            paramLabel = "URL",
            description =
                    "registry base URL incl. tenant, e.g. http://127.0.0.1:8870/v1.0/default (AUTOREG_REGISTRY_URL; also --url)")
    String url;

    /** {@code --url}: the operator commands' name for it before the flags were made one set. */
    @Option(names = "--url", paramLabel = "URL", hidden = true)
    void url(String value) {
        url = value;
    }

    @Option(names = "--token", paramLabel = "TOKEN", description = "static X-Auth-Token (AUTOREG_REGISTRY_TOKEN)")
    String token;

    @Option(names = "--username", paramLabel = "USER", description = "user for the token endpoint, with --api-key")
    String username;

    @Option(names = "--api-key", paramLabel = "KEY", description = "API key for the token endpoint")
    String apiKey;

    @Option(names = "--auth-url", paramLabel = "URL", description = "token endpoint (default: <registry>/v2.0/tokens)")
    String authUrl;

    @Option(
            names = "--request-timeout",
            paramLabel = "DURATION",
            description = "bound on each registry call, with a unit (default 5s)")
    String requestTimeout;

    @Option(names = "--config", paramLabel = "FILE", description = "HOCON settings file (AUTOREG_CONFIG)")
    Path config;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "any setting, key relative to autoreg. (e.g. --set registry.connect-timeout=1s); repeatable")
    List<String> set = new ArrayList<>();

    @Option(
            names = "--log-level",
            paramLabel = "LEVEL",
            completionCandidates = LogLevels.class,
            description = "error | warn (default) | info | debug")
    String logLevel;

    @Option(
            names = "--log-format",
            paramLabel = "FORMAT",
            completionCandidates = LogFormats.class,
            description = "text (default) | json: the sidecar's log lines on stderr as JSON Lines")
    String logFormat;

    /** The completion candidates of {@code --log-format}. */
    static final class LogFormats extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        LogFormats() {
            super(List.of("text", "json"));
        }
    }

    /** The completion candidates of {@code --log-level}. */
    static final class LogLevels extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        LogLevels() {
            super(List.of("error", "warn", "info", "debug"));
        }
    }

    /**
     * The overrides of these flags and of the command's own ({@code commandFlags}): {@code --set} first,
     * so that a named flag wins over it.
     */
    public FlagOverrides overrides(Consumer<FlagOverrides> commandFlags) {
        FlagOverrides overrides = new FlagOverrides();
        for (String pair : set) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--set expects KEY=VALUE, got '" + pair + "'");
            }
            String key = pair.substring(0, eq).trim();
            overrides.set(
                    key.startsWith("autoreg.") ? key.substring("autoreg.".length()) : key, pair.substring(eq + 1));
        }
        commandFlags.accept(overrides);
        return overrides
                .put("registry.url", url, "--registry-url")
                .put("registry.token", token, "--token")
                .put("registry.auth.username", username, "--username")
                .put("registry.auth.api-key", apiKey, "--api-key")
                .put("registry.auth.url", authUrl, "--auth-url")
                .put("registry.request-timeout", requestTimeout, "--request-timeout")
                .put("log.level", logLevel, "--log-level");
    }

    /** Where the core logger writes: stderr as it is, or as JSON Lines. */
    void applyLogFormat() {
        if (logFormat == null || logFormat.equals("text")) {
            return;
        }
        if (!logFormat.equals("json")) {
            throw new UsageException("--log-format must be text or json, got '" + logFormat + "'");
        }
        Log.sink(new JsonLogStream(System.err));
    }

    public Path config() {
        return config;
    }

    /**
     * The settings these flags and the command's own resolve to, over env, file and the defaults; then a warning for
     * each {@code AUTOREG_*} variable none of them reads ({@link UnknownVariables}), now that the log level is known.
     *
     * @param defaultsResource the sidecar section's defaults, for a command that reads that section ({@code run}), else
     *                         null
     * @param section          that section's settings, or empty: every front end's section then passes the check
     */
    public AutoregSettings load(Consumer<FlagOverrides> commandFlags, String defaultsResource, List<Setting> section) {
        applyLogFormat();
        FlagOverrides overrides = overrides(commandFlags);
        Map<String, String> env = System.getenv();
        AutoregSettings settings = SettingsLoader.load(
                overrides.values(),
                overrides::origin,
                System.getProperties(),
                env,
                config,
                defaultsResource,
                RegistryOptions.class.getClassLoader());
        UnknownVariables.warnOf(env.keySet(), section.isEmpty() ? null : "sidecar", section);
        return settings;
    }
}
