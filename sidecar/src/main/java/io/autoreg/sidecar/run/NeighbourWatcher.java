package io.autoreg.sidecar.run;

import io.autoreg.core.internal.lifecycle.Registration;
import io.autoreg.core.internal.lifecycle.RegistrationManager;
import io.autoreg.core.internal.lifecycle.RegistrationState;
import io.autoreg.core.internal.log.Log;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleConsumer;

/**
 * Turns one neighbour's probe results into registrations: after {@code rise} consecutive passes it is
 * registered (the lifecycle then retries and heartbeats on its own), after {@code fall} consecutive
 * failures it is deregistered (first kept out of service for {@code drain}, when that is non-zero), and
 * it is registered again once it has risen again. Run by one check
 * thread at a time; {@link #stop()} makes later results no-ops, so shutdown can deregister without a
 * late pass registering the neighbour again.
 */
final class NeighbourWatcher implements Runnable {
    private final Neighbour neighbour;
    private final HealthCheck check;
    private final RegistrationManager manager;
    private final Duration drain;
    private final Duration deregisterBound;
    private final DoubleConsumer probeSeconds;

    private final AtomicLong passes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong registrations = new AtomicLong();
    private final AtomicLong deregistrations = new AtomicLong();

    private int consecutivePasses;
    private int consecutiveFailures;
    private boolean healthy;
    private boolean stopped;
    private Registration registration;
    private HealthCheck.Result last = HealthCheck.Result.fail("not probed yet");
    /**
     * The failures said while the neighbour is not registered: a check that keeps failing the same way is said once,
     * a new way of failing again. Without it a neighbour never healthy (a wrong port or path, a redirect loop) left
     * the operator nothing but the sidecar's start line. Every way said is remembered, not only the last: a transport
     * failure comes in a few words that alternate ({@code Broken pipe}, {@code Connection reset}), which would
     * otherwise be said at every probe. Bounded, the oldest forgotten.
     */
    private final Set<String> saidNotRegistered = new LinkedHashSet<>();

    private static final int WAYS_REMEMBERED = 16;

    /**
     * @param drain           how long a failed neighbour is kept out of service before it is deleted; zero
     *                        deletes at once (give zero where the backend cannot drain)
     * @param deregisterBound how long the deletion itself may take, on top of {@code drain}
     */
    NeighbourWatcher(
            Neighbour neighbour,
            HealthCheck check,
            RegistrationManager manager,
            Duration drain,
            Duration deregisterBound) {
        this(neighbour, check, manager, drain, deregisterBound, seconds -> {});
    }

    /** @param probeSeconds told each probe's duration in seconds (the check duration histogram) */
    NeighbourWatcher(
            Neighbour neighbour,
            HealthCheck check,
            RegistrationManager manager,
            Duration drain,
            Duration deregisterBound,
            DoubleConsumer probeSeconds) {
        this.probeSeconds = probeSeconds;
        this.neighbour = neighbour;
        this.check = check;
        this.manager = manager;
        this.drain = drain;
        this.deregisterBound = deregisterBound;
    }

    /** One probe and its consequence. Never throws: a throwing periodic task would be cancelled for good. */
    @Override
    public void run() {
        try {
            long start = System.nanoTime();
            HealthCheck.Result result = check.probe();
            probeSeconds.accept((System.nanoTime() - start) / 1e9);
            (result.passed() ? passes : failures).incrementAndGet();
            apply(result);
        } catch (RuntimeException | Error e) {
            Log.error("check of " + neighbour.instance().id() + " failed unexpectedly", e);
        }
    }

    private void apply(HealthCheck.Result result) {
        Registration toRemove = null;
        synchronized (this) {
            if (stopped) {
                return;
            }
            last = result;
            CheckSettings settings = neighbour.check();
            if (result.passed()) {
                consecutiveFailures = 0;
                consecutivePasses = Math.min(consecutivePasses + 1, settings.rise());
                if (!healthy && consecutivePasses >= settings.rise()) {
                    healthy = true;
                    registrations.incrementAndGet();
                    Log.info(neighbour.instance().id() + " is healthy (" + result.detail() + "): registering");
                    saidNotRegistered.clear();
                    registration = manager.register(neighbour.instance());
                }
            } else {
                consecutivePasses = 0;
                consecutiveFailures = Math.min(consecutiveFailures + 1, settings.fall());
                if (healthy && consecutiveFailures >= settings.fall()) {
                    healthy = false;
                    deregistrations.incrementAndGet();
                    Log.warn(neighbour.instance().id() + " failed " + settings.fall() + " checks in a row ("
                            + result.detail() + "): deregistering"
                            + (drain.isZero() ? "" : " after " + drain.toMillis() + " ms out of service"));
                    toRemove = registration;
                    registration = null;
                    remember(result.detail());
                } else if (!healthy
                        && consecutiveFailures >= settings.fall()
                        && !saidNotRegistered.contains(result.detail())) {
                    // as many failures as take a registered neighbour out: a slow start stays quiet before that
                    remember(result.detail());
                    Log.warn(neighbour.instance().id() + " is not registered: its check failed " + settings.fall()
                            + " times in a row (" + result.detail() + "); registered once it passes");
                }
            }
        }
        if (toRemove != null) {
            // outside the lock: /healthz and /metrics must not wait on the registry. This check thread waits
            // out the drain, so the neighbour cannot be registered again before its old entry is gone.
            if (drain.isZero()) {
                toRemove.deregister(deregisterBound);
            } else {
                toRemove.deregister(drain, drain.plus(deregisterBound));
            }
        }
    }

    /** Later probe results change nothing; the caller deregisters everything through the manager. */
    synchronized void stop() {
        stopped = true;
    }

    Neighbour neighbour() {
        return neighbour;
    }

    /** A consistent view for {@code /healthz} and {@code /metrics}. */
    synchronized Snapshot snapshot() {
        RegistrationState state = registration == null ? null : registration.state();
        int registryFailures = registration == null ? 0 : registration.failures();
        return new Snapshot(
                neighbour,
                healthy,
                last,
                state,
                registryFailures,
                passes.get(),
                failures.get(),
                registrations.get(),
                deregistrations.get());
    }

    record Snapshot(
            Neighbour neighbour,
            boolean healthy,
            HealthCheck.Result last,
            RegistrationState registration,
            int registryFailures,
            long passes,
            long failures,
            long registrations,
            long deregistrations) {
        boolean registered() {
            return registration == RegistrationState.REGISTERED;
        }
    }

    private void remember(String failure) {
        if (saidNotRegistered.size() == WAYS_REMEMBERED) {
            saidNotRegistered.remove(saidNotRegistered.iterator().next());
        }
        saidNotRegistered.add(failure);
    }
}
