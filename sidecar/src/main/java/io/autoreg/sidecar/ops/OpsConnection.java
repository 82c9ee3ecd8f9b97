package io.autoreg.sidecar.ops;

import io.autoreg.core.client.ServiceRegistryClient;
import io.autoreg.core.settings.AutoregSettings;
import io.autoreg.core.settings.SettingsLoader;
import io.autoreg.sidecar.cli.Options;
import io.autoreg.sidecar.cli.ParsedArgs;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the operator CLI finds the registry and who it is: flags ({@code --url}, {@code --token},
 * {@code --username}, {@code --api-key}, {@code --auth-url}) over {@code AUTOREG_*} environment
 * variables over the config file ({@code --config FILE} or {@code AUTOREG_CONFIG}) over the defaults;
 * the core {@link SettingsLoader} applies exactly that precedence.
 */
final class OpsConnection {
    static final String HELP = String.join("\n",
            "connection (flags > AUTOREG_* env > config file):",
            "  --url URL          registry base URL incl. tenant, e.g. http://127.0.0.1:8870/v1.0/default (AUTOREG_REGISTRY_URL)",
            "  --token TOKEN      static X-Auth-Token (AUTOREG_TOKEN)",
            "  --username USER    user for the token endpoint, with --api-key",
            "  --api-key KEY      api key for the token endpoint",
            "  --auth-url URL     token endpoint (default: <registry>/v2.0/tokens)",
            "  --config FILE      HOCON settings file (AUTOREG_CONFIG)");

    private OpsConnection() {
    }

    static Options options() {
        return new Options().value("url").value("token").value("username").value("api-key").value("auth-url")
                .value("config").value("format").value("limit").value("marker");
    }

    /** The core client for the resolved {@code autoreg.registry.*}; the events long poll makes its own variant. */
    static ServiceRegistryClient open(ParsedArgs args) {
        Map<String, String> overrides = new LinkedHashMap<>();
        put(overrides, "registry.url", args.value("url"));
        put(overrides, "registry.token", args.value("token"));
        put(overrides, "registry.auth.username", args.value("username"));
        put(overrides, "registry.auth.api-key", args.value("api-key"));
        put(overrides, "registry.auth.url", args.value("auth-url"));
        Path config = args.value("config") == null ? null : Path.of(args.value("config"));
        AutoregSettings settings = SettingsLoader.load(overrides, System.getProperties(), System.getenv(), config);
        return ServiceRegistryClient.of(settings.registry());
    }

    private static void put(Map<String, String> overrides, String key, String value) {
        if (value != null) {
            overrides.put(key, value);
        }
    }
}
