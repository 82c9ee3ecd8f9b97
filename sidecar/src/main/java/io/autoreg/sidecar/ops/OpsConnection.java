package io.autoreg.sidecar.ops;

import io.autoreg.core.client.ServiceRegistryClient;
import io.autoreg.core.settings.AutoregSettings;
import io.autoreg.core.settings.SettingsLoader;
import io.autoreg.sidecar.cli.FlagOverrides;
import io.autoreg.sidecar.cli.Options;
import io.autoreg.sidecar.cli.ParsedArgs;

import java.nio.file.Path;

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
        FlagOverrides overrides = new FlagOverrides()
                .put("registry.url", args.value("url"), "--url")
                .put("registry.token", args.value("token"), "--token")
                .put("registry.auth.username", args.value("username"), "--username")
                .put("registry.auth.api-key", args.value("api-key"), "--api-key")
                .put("registry.auth.url", args.value("auth-url"), "--auth-url");
        Path config = args.value("config") == null ? null : Path.of(args.value("config"));
        AutoregSettings settings = SettingsLoader.load(overrides.values(), overrides::origin, System.getProperties(),
                System.getenv(), config, null, OpsConnection.class.getClassLoader());
        return ServiceRegistryClient.of(settings.registry());
    }
}
