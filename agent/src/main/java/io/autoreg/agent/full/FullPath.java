package io.autoreg.agent.full;

import io.autoreg.agent.register.AgentConfiguration;
import io.autoreg.agent.register.AgentSettings;
import io.autoreg.core.internal.backend.Backends;
import io.autoreg.core.internal.lifecycle.RegistryBackend;
import io.autoreg.core.internal.settings.AutoregSettings;
import io.autoreg.core.internal.settings.RegistrySettings;
import io.autoreg.core.internal.settings.SettingsLoader;
import io.autoreg.core.internal.settings.SettingsReader;
import java.util.Map;

/**
 * The agent's only door to the core's Typesafe Config reader and OkHttp/Jackson/Curator backends. Kept in a
 * class of its own so that nothing on the fast path links against those libraries: callers make them
 * loadable first ({@link BundledLibraries#ensureAvailable()}).
 */
public final class FullPath {

    private FullPath() {}

    /** The full reader: config files, every backend, and the authoritative error messages. */
    public static AgentConfiguration readSettings(Map<String, String> overrides) {
        AutoregSettings core = SettingsLoader.load(
                overrides,
                System.getProperties(),
                System.getenv(),
                null,
                AgentSettings.RESOURCE,
                FullPath.class.getClassLoader());
        AgentSettings agent = core.enabled() ? AgentSettings.read(new SettingsReader(core.config())) : null;
        return new AgentConfiguration(core.enabled(), core.registry(), core.service(), core.heartbeat(), agent, false);
    }

    public static RegistryBackend createBackend(RegistrySettings registry) {
        return Backends.create(registry);
    }
}
