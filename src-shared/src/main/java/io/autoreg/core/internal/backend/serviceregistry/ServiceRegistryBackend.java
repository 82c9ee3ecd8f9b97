package io.autoreg.core.internal.backend.serviceregistry;

import io.autoreg.core.client.NotFoundException;
import io.autoreg.core.client.RegistryApiException;
import io.autoreg.core.client.ServiceCreations;
import io.autoreg.core.client.ServiceExistsException;
import io.autoreg.core.client.ServiceRegistryClient;
import io.autoreg.core.client.model.ServiceCreate;
import io.autoreg.core.internal.lifecycle.RefusedException;
import io.autoreg.core.internal.lifecycle.RegistryBackend;
import io.autoreg.core.internal.lifecycle.TokenChain;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.core.internal.settings.RegistrySettings;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The default backend: the Service Registry API of the {@code registry} module (service generation,
 * docs/api.md §3), over {@link ServiceRegistryClient} (one connection pool, re-authentication on 401). A
 * registration is a service with its own {@code heartbeat_timeout}; every heartbeat consumes the
 * current token and returns the next one, which the lease keeps.
 *
 * <p><b>A duplicate id is not deleted.</b> {@code 400 serviceWithThisIdExists} on register usually
 * means our own previous incarnation crashed and its entry has not expired yet — but it may just as
 * well be another live instance configured with the same id. Deleting it would make the two knock each
 * other out of the registry in turn, so this backend throws an IOException and lets the lifecycle retry
 * with backoff until the stale entry expires (at most one heartbeat timeout). A heartbeat token turned down
 * while the entry cannot have expired yet is different: the entry is ours, the answer to an earlier heartbeat was
 * lost, and the entry is deleted so that the lifecycle registers it again at once ({@link TokenChain}). So is an
 * entry refused as a duplicate right after a creation of ours went unanswered, when it holds exactly what we sent
 * ({@link ServiceCreations}).
 *
 * <p>The service name travels in metadata key {@value #NAME_KEY}, since the API has no name field.
 */
public final class ServiceRegistryBackend implements RegistryBackend {

    public static final String NAME_KEY = "service_name";

    private final ServiceRegistryClient client;
    private final ServiceCreations creations;

    public ServiceRegistryBackend(RegistrySettings settings) {
        this(RegistryClients.of(settings));
    }

    public ServiceRegistryBackend(ServiceRegistryClient client) {
        this.client = client;
        this.creations = new ServiceCreations(client.services());
    }

    @Override
    public String type() {
        return "service-registry";
    }

    @Override
    public Lease register(ServiceInstance instance, Duration ttl) throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(NAME_KEY, instance.name());
        metadata.putAll(instance.metadata());
        int seconds = (int) Math.max(3, Math.min(120, ttl.toSeconds()));
        try {
            ServiceCreations.Created created =
                    creations.create(ServiceCreate.withHeartbeat(instance.id(), seconds, instance.tags(), metadata));
            return new ServiceRegistryLease(
                    instance, new TokenChain(created.token(), Duration.ofSeconds(seconds), created.sentAt()));
        } catch (ServiceExistsException e) {
            throw new IOException(
                    "service " + instance.id() + " is still registered (a previous run that has not"
                            + " expired yet, or another instance with the same id); retrying until it expires",
                    e);
        } catch (RegistryApiException e) {
            throw refusedOrAsIs(e);
        }
    }

    @Override
    public boolean renew(Lease lease) throws IOException {
        ServiceRegistryLease l = (ServiceRegistryLease) lease;
        TokenChain chain = l.chain();
        String id = l.instance().id();
        long sentAt = TokenChain.now();
        try {
            chain.renewed(client.services().heartbeat(id, chain.token()), sentAt);
            return true;
        } catch (NotFoundException notFound) {
            if (chain.deleteBeforeCreatingAgain(TokenChain.turnsDownTheToken(notFound.details()), "service " + id)) {
                deregister(lease);
            }
            return false;
        } catch (RegistryApiException e) {
            if (e.isTransient()) {
                chain.unanswered(sentAt);
            }
            throw refusedOrAsIs(e);
        } catch (IOException e) {
            chain.unanswered(sentAt);
            throw e;
        }
    }

    /** A 4xx that no retry gets past becomes a {@link RefusedException}, which the lifecycle retries slowly. */
    private static IOException refusedOrAsIs(RegistryApiException e) {
        return RefusedException.isRefusal(e.status(), e.type()) ? new RefusedException(e.getMessage(), e) : e;
    }

    @Override
    public void deregister(Lease lease) throws IOException {
        try {
            client.services().delete(lease.instance().id());
        } catch (NotFoundException alreadyGone) {
            // idempotent: expired or deleted already
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
