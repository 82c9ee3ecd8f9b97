package io.autoreg.agent.lite;

import io.autoreg.core.internal.lifecycle.RegistryBackend;
import io.autoreg.core.internal.model.ServiceInstance;

/**
 * What the agent's light clients share: a {@link LiteHttp} connection to the registry (one per server of a list,
 * {@link LiteServers}), closed with the backend.
 */
abstract class LiteBackend implements RegistryBackend {

    protected final LiteServers http;
    private final String type;

    LiteBackend(String type, LiteServers http) {
        this.type = type;
        this.http = http;
    }

    @Override
    public final String type() {
        return type;
    }

    @Override
    public final void close() {
        http.close();
    }

    /** A lease that is the instance alone: the registry knows it by its id (Eureka, Consul). */
    record InstanceLease(ServiceInstance instance) implements Lease {}
}
