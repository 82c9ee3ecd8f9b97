package io.autoreg.core.internal.backend.serviceregistry;

import io.autoreg.core.internal.lifecycle.RegistryBackend;
import io.autoreg.core.internal.lifecycle.TokenChain;
import io.autoreg.core.internal.model.ServiceInstance;

/** A registered service and its heartbeat token chain (each heartbeat rotates the token). */
final class ServiceRegistryLease implements RegistryBackend.Lease {

    private final ServiceInstance instance;
    private final TokenChain chain;

    ServiceRegistryLease(ServiceInstance instance, TokenChain chain) {
        this.instance = instance;
        this.chain = chain;
    }

    @Override
    public ServiceInstance instance() {
        return instance;
    }

    TokenChain chain() {
        return chain;
    }

    String token() {
        return chain.token();
    }
}
