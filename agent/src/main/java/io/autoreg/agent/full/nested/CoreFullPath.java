package io.autoreg.agent.full.nested;

import io.autoreg.agent.full.FullPath;
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
 * The full path, on the core's reader and backends. It travels in the nested libraries jar and is created by name
 * ({@link io.autoreg.agent.full.BundledLibraries#fullPath()}) in the class loader that reads that jar.
 */
public final class CoreFullPath implements FullPath {

    /** Created reflectively, by name. */
    public CoreFullPath() {}

    @Override
    public AgentConfiguration readSettings(Map<String, String> overrides) {
        AutoregSettings core = SettingsLoader.load(
                overrides,
                System.getProperties(),
                System.getenv(),
                null,
                AgentSettings.RESOURCE,
                CoreFullPath.class.getClassLoader());
        AgentSettings agent = core.enabled() ? AgentSettingsReader.read(new SettingsReader(core.config())) : null;
        return new AgentConfiguration(core.enabled(), core.registry(), core.service(), core.heartbeat(), agent, false);
    }

    @Override
    public RegistryBackend createBackend(RegistrySettings registry) {
        return Backends.create(registry);
    }
}
