package io.autoreg.core.internal.lifecycle;

import io.autoreg.core.internal.model.ServiceInstance;
import java.io.IOException;
import java.time.Duration;

/**
 * The narrow contract between the registration lifecycle and one registry technology
 * (service-registry, registro, etcd, zookeeper, eureka, consul).
 *
 * <p>Implementations do blocking I/O with bounded timeouts and keep no scheduling of their own: the
 * {@link io.autoreg.core.internal.lifecycle.RegistrationManager} decides when to call them. They must be
 * thread-safe. A transient failure (connection refused, timeout, 5xx) is an {@link IOException};
 * the lifecycle retries it with backoff.
 */
public interface RegistryBackend extends AutoCloseable {

    /** The {@code autoreg.registry.type} value this backend answers to. */
    String type();

    /**
     * Registers the instance with the given time-to-live and returns the lease that renews it.
     * If the registry still holds a stale entry with the same id (a crash and quick restart), the
     * backend replaces it where the technology allows, or throws an IOException so the lifecycle
     * retries until the stale entry expires.
     */
    Lease register(ServiceInstance instance, Duration ttl) throws IOException;

    /**
     * Keeps the lease alive.
     *
     * @return {@code true} if renewed; {@code false} if the registry no longer knows the instance
     *         (404, lease expired, TTL check missing) and it must be registered again
     */
    boolean renew(Lease lease) throws IOException;

    /** Removes the instance. Idempotent: an instance that is already gone is not an error. */
    void deregister(Lease lease) throws IOException;

    /** Whether {@link #markOutOfService(Lease)} does anything (drain before deregistering). */
    default boolean supportsDrain() {
        return false;
    }

    /** Marks the instance out of service so consumers stop sending new traffic; default no-op. */
    default void markOutOfService(Lease lease) throws IOException {}

    /** Releases connections and threads; does not deregister anything. */
    @Override
    default void close() {}

    /**
     * A live registration as the backend knows it. Backends keep their mutable renewal state
     * (current heartbeat token, lease id, session) inside their own implementation of this type.
     */
    interface Lease {
        ServiceInstance instance();
    }
}
