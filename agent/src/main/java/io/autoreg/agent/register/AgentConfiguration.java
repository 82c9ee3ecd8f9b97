package io.autoreg.agent.register;

import io.autoreg.core.internal.settings.HeartbeatSettings;
import io.autoreg.core.internal.settings.RegistrySettings;
import io.autoreg.core.internal.settings.ServiceSettings;

/**
 * Everything the agent reads from its settings, whichever way they were read.
 *
 * @param lite whether it came from the light reader (and the light service-registry client can serve it)
 */
public record AgentConfiguration(
        boolean enabled,
        RegistrySettings registry,
        ServiceSettings service,
        HeartbeatSettings heartbeat,
        AgentSettings agent,
        boolean lite) {}
