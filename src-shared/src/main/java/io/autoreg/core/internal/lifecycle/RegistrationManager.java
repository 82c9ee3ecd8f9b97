package io.autoreg.core.internal.lifecycle;

import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.core.internal.settings.HeartbeatSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Registers instances with one backend and keeps them registered: retries forever with capped
 * full-jitter backoff, heartbeats at the interval of {@link HeartbeatSettings#effectiveInterval()},
 * registers again at once when the registry forgot an instance, and deregisters within a bound.
 *
 * <p>All registrations of a process share one daemon scheduler thread, {@code autoreg-lifecycle}
 * (HikariCP's housekeeper pattern). Backend calls are bounded by the backend's own timeouts, so one
 * slow call delays others by at most that much. The scheduler, clock and jitter source are injectable
 * so that tests drive time by hand instead of sleeping.
 *
 * <p>The backend is not closed by {@link #close()}: whoever created it owns it.
 */
public final class RegistrationManager implements AutoCloseable {

    private static final Duration CLOSE_BOUND = Duration.ofSeconds(5);
    /** The default scheduler's thread. */
    static final String THREAD_NAME = "autoreg-lifecycle";

    private final RegistryBackend backend;
    /**
     * How often a request the registry refused ({@link io.autoreg.core.internal.lifecycle.RefusedException}) is tried
     * again: rarely enough that thousands of instances over a full quota do not load the registry, often
     * enough that a raised quota or a fixed setting takes effect within minutes.
     */
    static final Duration REFUSED_RETRY = Duration.ofMinutes(5);

    private final HeartbeatSettings heartbeat;
    private final LifecycleScheduler scheduler;
    private final boolean ownsScheduler;
    private final Clock clock;
    private final Random jitter;
    private final Backoff backoff;
    private final List<Registration> registrations = new CopyOnWriteArrayList<>();

    public RegistrationManager(RegistryBackend backend, HeartbeatSettings heartbeat) {
        this(backend, heartbeat, new LifecycleThread(THREAD_NAME), Clock.systemUTC(), new Random(), true);
    }

    public RegistrationManager(
            RegistryBackend backend,
            HeartbeatSettings heartbeat,
            ScheduledExecutorService scheduler,
            Clock clock,
            Random jitter) {
        this(
                backend,
                heartbeat,
                LifecycleScheduler.of(Objects.requireNonNull(scheduler, "scheduler")),
                clock,
                jitter,
                false);
    }

    private RegistrationManager(
            RegistryBackend backend,
            HeartbeatSettings heartbeat,
            LifecycleScheduler scheduler,
            Clock clock,
            Random jitter,
            boolean ownsScheduler) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.heartbeat = Objects.requireNonNull(heartbeat, "heartbeat");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.jitter = Objects.requireNonNull(jitter, "jitter");
        this.ownsScheduler = ownsScheduler;
        this.backoff = new Backoff(heartbeat.initialBackoff(), heartbeat.maxBackoff(), jitter);
    }

    /**
     * Never blocks, never throws: schedules registration at once, retries forever with backoff.
     * Registering an id that this manager already keeps alive updates that registration and returns
     * it (two registrations of one id would knock each other out as duplicates).
     */
    public synchronized Registration register(ServiceInstance instance) {
        for (Registration existing : registrations) {
            if (!existing.isClosed() && existing.instance().id().equals(instance.id())) {
                existing.update(instance);
                return existing;
            }
        }
        Registration registration = new Registration(this, instance);
        registrations.add(registration);
        registration.start();
        return registration;
    }

    /**
     * Deregisters everything, in parallel, bounded by {@code bound} overall. With a non-zero
     * {@code drain} and a backend that supports it, each instance is first marked out of service and
     * kept for {@code drain} so consumers stop sending new requests.
     */
    public void deregisterAll(Duration drain, Duration bound) {
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (Registration r : registrations) {
            pending.add(r.deregisterAsync(drain == null ? Duration.ZERO : drain));
        }
        Registration.await(CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0])), bound);
    }

    /** The registrations not yet deregistered. */
    public List<Registration> registrations() {
        return List.copyOf(registrations);
    }

    @Override
    public void close() {
        deregisterAll(Duration.ZERO, CLOSE_BOUND);
        if (ownsScheduler) {
            scheduler.shutdownNow();
        }
    }

    // ---- for Registration ------------------------------------------------------------------------

    RegistryBackend backend() {
        return backend;
    }

    HeartbeatSettings heartbeat() {
        return heartbeat;
    }

    LifecycleScheduler scheduler() {
        return scheduler;
    }

    Clock clock() {
        return clock;
    }

    Backoff backoff() {
        return backoff;
    }

    /** The heartbeat interval minus up to 10 % jitter, so a fleet does not beat in lockstep. */
    Duration nextInterval() {
        long interval = heartbeat.effectiveInterval().toMillis();
        long jitterMillis;
        synchronized (jitter) {
            jitterMillis = (long) (jitter.nextDouble() * interval / 10);
        }
        return Duration.ofMillis(interval - jitterMillis);
    }

    /**
     * When to try a refused request again: 50–100 % of {@link #REFUSED_RETRY}, so the fleet that hit a full
     * quota together does not come back together.
     */
    Duration refusedRetryDelay() {
        long half = REFUSED_RETRY.toMillis() / 2;
        synchronized (jitter) {
            return Duration.ofMillis(half + (long) (jitter.nextDouble() * half));
        }
    }

    void forget(Registration registration) {
        registrations.remove(registration);
    }
}
