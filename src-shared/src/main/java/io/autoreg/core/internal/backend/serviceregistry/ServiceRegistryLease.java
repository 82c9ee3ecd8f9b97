package io.autoreg.core.internal.backend.serviceregistry;

import io.autoreg.core.internal.lifecycle.RegistryBackend;
import io.autoreg.core.internal.model.ServiceInstance;

/** A registered service and its current heartbeat token (each heartbeat rotates it). */
final class ServiceRegistryLease implements RegistryBackend.Lease {

    private final ServiceInstance instance;
    private volatile String token;

    ServiceRegistryLease(ServiceInstance instance, String token) {
        this.instance = instance;
        this.token = token;
    }

    @Override
    public ServiceInstance instance() {
        return instance;
    }

    String token() {
        return token;
    }

    void token(String next) {
        this.token = next;
    }
}
