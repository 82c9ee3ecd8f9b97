package io.autoreg.core.client;

import io.autoreg.core.client.model.ServiceCreate;
import io.autoreg.core.client.model.SessionCreate;
import io.autoreg.core.internal.lifecycle.Registration;
import io.autoreg.core.internal.lifecycle.RegistrationManager;
import io.autoreg.core.internal.lifecycle.RegistrationState;
import io.autoreg.core.internal.lifecycle.RegistryBackend;
import io.autoreg.core.internal.lifecycle.TokenChain;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.core.internal.settings.HeartbeatSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps one service (service generation) or one session with its services (session generation) alive,
 * by itself, after {@link #start()} (docs/api.md §8): it creates the registration at once, heartbeats at the
 * interval derived from the timeout (0.6×T below 15 s, 0.8×T above, at least 3 s of margin, minus
 * jitter), retries a failed beat at once and then with backoff inside the margin, re-creates the
 * registration when the registry answers 404 (deleting it first when the registration is still provably its own
 * and the answer to an earlier beat was lost: {@link TokenChain}), and never dies of an exception.
 *
 * <p>It runs on the same state machine as every autoreg registration (the agent's and the sidecar's), on the
 * client's shared {@code autoreg-heartbeater} scheduler thread; {@link #state()} shows where it is.
 */
public final class Heartbeater implements AutoCloseable {

    private final RegistrationManager manager;
    private final Duration timeout;
    private final ServiceInstance identity;
    private final String description;
    private Registration registration;
    private volatile int creations;

    private Heartbeater(ServiceRegistryClient client, Target target, int timeoutSeconds, String description) {
        this.timeout = Duration.ofSeconds(timeoutSeconds);
        HeartbeatSettings beat = client.heartbeatSettings(timeout);
        this.manager = client.newManager(new TargetBackend(target), beat);
        this.identity = new ServiceInstance(description, description, "-", 0, List.of(), Map.of());
        this.description = description;
    }

    static Heartbeater forService(ServiceRegistryClient client, ServiceCreate service) {
        Objects.requireNonNull(service.heartbeatTimeout(), "a heartbeated service needs heartbeat_timeout");
        return new Heartbeater(
                client,
                new ServiceTarget(new ServiceCreations(client.services()), client.services(), service),
                service.heartbeatTimeout(),
                service.id());
    }

    static Heartbeater forSession(ServiceRegistryClient client, SessionCreate session, List<ServiceCreate> services) {
        Objects.requireNonNull(session.heartbeatTimeout(), "a session needs heartbeat_timeout");
        return new Heartbeater(
                client,
                new SessionTarget(client.sessions(), client.services(), session, List.copyOf(services)),
                session.heartbeatTimeout(),
                "session");
    }

    /** Creates the registration at once (on the scheduler) and keeps it alive. Never blocks. */
    public synchronized Heartbeater start() {
        if (registration == null) {
            registration = manager.register(identity);
        }
        return this;
    }

    /** Where the heartbeater is now; {@link HeartbeatState#PENDING} before {@link #start()}. */
    public synchronized HeartbeatState state() {
        return registration == null ? HeartbeatState.PENDING : HeartbeatState.of(registration.state());
    }

    /**
     * Waits until the registration is {@link HeartbeatState#REGISTERED} (true) or {@code timeout} has passed
     * (false); false at once before {@link #start()}.
     */
    public boolean awaitRegistered(Duration timeout) throws InterruptedException {
        Registration r;
        synchronized (this) {
            r = registration;
        }
        return r != null && r.awaitState(RegistrationState.REGISTERED, timeout);
    }

    /** The service id, or the current session id (it changes when the session is re-created); null before. */
    public String id() {
        BeatLease lease = lease();
        return lease == null ? null : lease.id;
    }

    /** The current heartbeat token; null before the first creation. */
    public String token() {
        BeatLease lease = lease();
        return lease == null ? null : lease.chain.token();
    }

    /** How often the registration was created (1 after start, +1 for each re-creation after a 404). */
    public int creations() {
        return creations;
    }

    /**
     * Stops heartbeating without deleting: the registry expires the entry after its timeout (the
     * original process wrapper's behaviour when its command exits).
     */
    public synchronized void stop() {
        if (registration != null) {
            registration.abandon();
        }
    }

    /** Deletes the registration (bounded by 5 s) and stops. */
    @Override
    public void close() {
        manager.close();
    }

    @Override
    public String toString() {
        return "Heartbeater[" + description + " " + state() + "]";
    }

    private BeatLease lease() {
        Registration r;
        synchronized (this) {
            r = registration;
        }
        return r == null ? null : (BeatLease) r.lease();
    }

    // ---- what gets created and beaten ------------------------------------------------------------

    private static final class BeatLease implements RegistryBackend.Lease {
        final ServiceInstance instance;
        final String id;
        final TokenChain chain;

        BeatLease(ServiceInstance instance, String id, TokenChain chain) {
            this.instance = instance;
            this.id = id;
            this.chain = chain;
        }

        @Override
        public ServiceInstance instance() {
            return instance;
        }
    }

    private interface Target {
        /** "service" or "session", for messages. */
        String kind();

        /** Creates; returns {id, token}. */
        String[] create() throws IOException;

        String beat(String id, String token) throws IOException;

        void delete(String id) throws IOException;
    }

    /** A service with its own timeout; a creation whose answer was lost does not lock it out ({@link ServiceCreations}). */
    private record ServiceTarget(ServiceCreations creations, ServicesApi services, ServiceCreate spec)
            implements Target {
        @Override
        public String kind() {
            return "service";
        }

        @Override
        public String[] create() throws IOException {
            return new String[] {spec.id(), creations.create(spec).token()};
        }

        @Override
        public String beat(String id, String token) throws IOException {
            return services.heartbeat(id, token);
        }

        @Override
        public void delete(String id) throws IOException {
            services.delete(id);
        }
    }

    /** A session and the services inside it: re-creating the session re-creates them too. */
    private record SessionTarget(
            SessionsApi sessions, ServicesApi services, SessionCreate spec, List<ServiceCreate> members)
            implements Target {
        @Override
        public String kind() {
            return "session";
        }

        @Override
        public String[] create() throws IOException {
            CreatedSession session = sessions.create(spec);
            try {
                for (ServiceCreate member : members) {
                    services.create(member.withSession(session.id()));
                }
            } catch (IOException e) {
                try {
                    sessions.delete(session.id());
                } catch (IOException ignored) {
                    // it expires by itself
                }
                throw e;
            }
            return new String[] {session.id(), session.token()};
        }

        @Override
        public String beat(String id, String token) throws IOException {
            return sessions.heartbeat(id, token);
        }

        @Override
        public void delete(String id) throws IOException {
            sessions.delete(id);
        }
    }

    /** The lifecycle's view of a target: 404 on a beat means "gone, create again". */
    private final class TargetBackend implements RegistryBackend {
        private final Target target;

        TargetBackend(Target target) {
            this.target = target;
        }

        @Override
        public String type() {
            return "service-registry";
        }

        @Override
        public RegistryBackend.Lease register(ServiceInstance instance, Duration ttl) throws IOException {
            long sentAt = TokenChain.now();
            String[] created = target.create();
            creations++;
            return new BeatLease(instance, created[0], new TokenChain(created[1], timeout, sentAt));
        }

        /** 404: gone, create again — after deleting it when only its token was spent by a lost answer. */
        @Override
        public boolean renew(RegistryBackend.Lease lease) throws IOException {
            BeatLease l = (BeatLease) lease;
            long sentAt = TokenChain.now();
            try {
                l.chain.renewed(target.beat(l.id, l.chain.token()), sentAt);
                return true;
            } catch (NotFoundException notFound) {
                if (l.chain.deleteBeforeCreatingAgain(
                        TokenChain.turnsDownTheToken(notFound.details()), target.kind() + " " + l.id)) {
                    deregister(l);
                }
                return false;
            } catch (RegistryApiException e) {
                if (e.isTransient()) {
                    l.chain.unanswered(sentAt);
                }
                throw e;
            } catch (IOException e) {
                l.chain.unanswered(sentAt);
                throw e;
            }
        }

        @Override
        public void deregister(RegistryBackend.Lease lease) throws IOException {
            try {
                target.delete(((BeatLease) lease).id);
            } catch (NotFoundException alreadyGone) {
                // idempotent
            }
        }
    }
}
