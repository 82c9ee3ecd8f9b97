package io.autoreg.agent.full;

import io.autoreg.agent.register.AgentConfiguration;
import io.autoreg.core.internal.lifecycle.RegistryBackend;
import io.autoreg.core.internal.settings.RegistrySettings;
import java.util.Map;

/**
 * The agent's only door to the core's Typesafe Config reader and its OkHttp/Jackson/Curator backends, obtained from
 * {@link BundledLibraries#fullPath()}. Its implementation ({@code full.nested.CoreFullPath}) and everything that
 * links against those libraries live in the nested libraries jar and are loaded by a class loader of their own, so
 * nothing the agent loads otherwise can name them; only the types of this interface cross over, and they come from
 * the agent's own loader on both sides (docs/architecture.md, "Start-up path").
 */
public interface FullPath {

    /** The full reader: config files, every backend, and the authoritative error messages. */
    AgentConfiguration readSettings(Map<String, String> overrides);

    RegistryBackend createBackend(RegistrySettings registry);
}
