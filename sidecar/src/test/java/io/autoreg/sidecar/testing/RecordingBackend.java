package io.autoreg.sidecar.testing;

import io.autoreg.core.internal.lifecycle.RegistryBackend;
import io.autoreg.core.internal.model.ServiceInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory registry for unit tests of the sidecar's decisions: it holds what was registered and
 * records every call in order, with or without drain support (as eureka and consul, or the others).
 */
public final class RecordingBackend implements RegistryBackend {
    private record MemoryLease(ServiceInstance instance) implements Lease {}

    private final boolean drainable;
    private final List<String> calls = new ArrayList<>();
    private final Map<String, Lease> live = new ConcurrentHashMap<>();

    public RecordingBackend(boolean drainable) {
        this.drainable = drainable;
    }

    @Override
    public String type() {
        return drainable ? "recording-drainable" : "recording";
    }

    @Override
    public Lease register(ServiceInstance instance, Duration ttl) {
        record("register " + instance.id());
        Lease lease = new MemoryLease(instance);
        live.put(instance.id(), lease);
        return lease;
    }

    @Override
    public boolean renew(Lease lease) {
        return live.get(lease.instance().id()) == lease;
    }

    @Override
    public void deregister(Lease lease) {
        record("deregister " + lease.instance().id());
        live.remove(lease.instance().id(), lease);
    }

    @Override
    public boolean supportsDrain() {
        return drainable;
    }

    @Override
    public void markOutOfService(Lease lease) {
        record("out-of-service " + lease.instance().id());
    }

    public boolean isLive(String id) {
        return live.containsKey(id);
    }

    /** Every register, out-of-service and deregister call so far, in order ({@code "op id"}). */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    private synchronized void record(String call) {
        calls.add(call);
    }
}
