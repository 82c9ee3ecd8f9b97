package io.autoreg.core.internal.lifecycle;

import io.autoreg.core.internal.log.Log;
import io.autoreg.core.internal.model.ServiceInstance;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One registration and its state machine
 * ({@code PENDING → REGISTERING → REGISTERED ⇄ RE_REGISTERING → DEREGISTERED}), driven by the
 * manager's scheduler.
 *
 * <p>Concurrency: state is guarded by {@code this}; backend calls of one registration are serialised by
 * {@link #io} and made without holding {@code this}. Every scheduled step carries the {@link #epoch} it
 * was scheduled in; {@link #update} and {@link #deregister} bump the epoch, so a step that was already
 * queued or running cannot schedule a successor for an outdated instance.
 */
public final class Registration {

    private final RegistrationManager manager;
    private final ReentrantLock io = new ReentrantLock();

    private ServiceInstance instance;
    private RegistrationState state = RegistrationState.PENDING;
    private RegistryBackend.Lease lease;
    private boolean everRegistered;
    private boolean closed;
    private int epoch;
    /** The epoch of the step running now (written and read only by the thread holding {@link #io}). */
    private int runningEpoch;

    private int failures;
    /** Whether the last failure of the current streak was a refusal, so a run of refusals is logged once. */
    private boolean refusing;

    /**
     * When the last successful registration or renewal was sent (the manager's clock): the registry's deadline counts
     * from when it applied the request, which is no earlier, so the schedule and the retry margin count from here.
     */
    private long lastRenewedMillis;

    private LifecycleScheduler.Cancellable next;
    private CompletableFuture<Void> deregistration;

    Registration(RegistrationManager manager, ServiceInstance instance) {
        this.manager = manager;
        this.instance = Objects.requireNonNull(instance, "instance");
    }

    public synchronized ServiceInstance instance() {
        return instance;
    }

    public synchronized RegistrationState state() {
        return state;
    }

    /** Consecutive failed calls of the current streak (0 when the last call succeeded). */
    public synchronized int failures() {
        return failures;
    }

    /**
     * Replaces the registered instance (e.g. a second port added to the metadata): the old entry is
     * removed and the new one registered, on the scheduler. Never blocks, never throws.
     */
    public void update(ServiceInstance newInstance) {
        Objects.requireNonNull(newInstance, "newInstance");
        synchronized (this) {
            if (closed || newInstance.equals(instance)) {
                return;
            }
            instance = newInstance;
            epoch++;
            cancelNext();
            if (state != RegistrationState.PENDING) {
                setState(everRegistered ? RegistrationState.RE_REGISTERING : RegistrationState.REGISTERING);
            }
            schedule(Step.REPLACE, Duration.ZERO);
        }
    }

    /**
     * Removes the registration from the registry and stops renewing it. Idempotent; returns after the
     * registry confirmed or {@code bound} elapsed, whichever is first (a shutdown hook must not hang).
     */
    public void deregister(Duration bound) {
        await(deregisterAsync(), bound);
    }

    /**
     * Like {@link #deregister(Duration)}, draining first: where the backend supports it
     * ({@link RegistryBackend#supportsDrain()}) the entry is marked out of service and kept for
     * {@code drain}, so consumers stop sending new requests before it disappears; elsewhere it is deleted
     * at once. Returns after the deletion or {@code bound}, whichever is first (the removal then goes on
     * in the background, and the registry expires what it does not finish). Idempotent: a second call,
     * also one of {@link #deregister(Duration)}, waits for the same removal and drains nothing again.
     */
    public void deregister(Duration drain, Duration bound) {
        await(deregisterAsync(drain == null || drain.isNegative() ? Duration.ZERO : drain), bound);
    }

    /**
     * Stops renewing without deleting anything: the registry expires the entry after its timeout, as if
     * the process had died (what a wrapper does when its command exited and it wants the original
     * tooling's behaviour). Terminal: the state becomes {@code DEREGISTERED}; a later
     * {@link #deregister} still deletes the entry.
     */
    public void abandon() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            epoch++;
            cancelNext();
            setState(RegistrationState.DEREGISTERED);
        }
        manager.forget(this);
    }

    /** The backend's current lease (its renewal state), or null while not registered. */
    public synchronized RegistryBackend.Lease lease() {
        return lease;
    }

    /** Blocks until the state is {@code wanted} or the timeout elapsed; for tests and front ends. */
    public boolean awaitState(RegistrationState wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (state != wanted) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }
    }

    @Override
    public synchronized String toString() {
        return "Registration[" + instance.id() + " " + state + "]";
    }

    // ---- driven by the manager -------------------------------------------------------------------

    /** Deregistered or abandoned (or on its way there): no longer kept alive. */
    synchronized boolean isClosed() {
        return closed;
    }

    synchronized void start() {
        schedule(Step.ATTEMPT, Duration.ZERO);
    }

    /**
     * Starts the removal on its own daemon thread (so several registrations are removed in parallel
     * and the caller can bound the wait); the same future is returned on every call.
     */
    CompletableFuture<Void> deregisterAsync() {
        return deregisterAsync(Duration.ZERO);
    }

    synchronized CompletableFuture<Void> deregisterAsync(Duration drain) {
        if (deregistration != null) {
            return deregistration;
        }
        Thread worker = new Thread(close(drain), "autoreg-deregister");
        worker.setDaemon(true);
        worker.start();
        return deregistration;
    }

    /**
     * Removes the registration on the lifecycle's scheduler thread and returns at once: no thread of its own,
     * no wait (the agent's thread, which must not block, deregisters a closed listener so). The removal then
     * waits behind the scheduler's other steps, each bounded by the backend's timeouts; a later
     * {@link #deregister} waits for the same removal. Idempotent.
     */
    public synchronized void deregisterOnScheduler() {
        if (deregistration != null) {
            return;
        }
        Removal removal = close(Duration.ZERO);
        try {
            manager.scheduler().execute(removal);
        } catch (RejectedExecutionException e) {
            removal.run(); // the scheduler is shut down (the manager was closed): remove on this thread
        }
    }

    /** Stops renewing and returns the removal to run (caller holds this; {@link #deregistration} is set). */
    private Removal close(Duration drain) {
        closed = true;
        epoch++;
        cancelNext();
        deregistration = new CompletableFuture<>();
        return new Removal(this, drain, deregistration);
    }

    /** The removal, a named class rather than a lambda (it runs on the agent's path, see {@link Step}). */
    private static final class Removal implements Runnable {
        private final Registration registration;
        private final Duration drain;
        private final CompletableFuture<Void> done;

        Removal(Registration registration, Duration drain, CompletableFuture<Void> done) {
            this.registration = registration;
            this.drain = drain;
            this.done = done;
        }

        @Override
        public void run() {
            try {
                registration.removeNow(drain);
            } finally {
                done.complete(null);
            }
        }
    }

    static void await(CompletableFuture<Void> future, Duration bound) {
        try {
            future.get(Math.max(0, bound.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            Log.warn("deregistration did not finish within " + bound.toMillis() + " ms; the registry will expire it");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            Log.warn("deregistration failed", e.getCause());
        }
    }

    // ---- steps (run on the scheduler) ------------------------------------------------------------

    private void attempt() {
        ServiceInstance target;
        synchronized (this) {
            target = instance;
            setState(everRegistered ? RegistrationState.RE_REGISTERING : RegistrationState.REGISTERING);
        }
        RegistryBackend.Lease newLease;
        long sentAt = manager.clock().millis();
        try {
            newLease = manager.backend().register(target, manager.heartbeat().timeout());
        } catch (Exception e) {
            failed("register " + target.id(), e, Step.ATTEMPT, null);
            return;
        }
        int previousFailures;
        synchronized (this) {
            // kept even when closed meanwhile: deregistration waits for io and then deletes it
            lease = newLease;
            previousFailures = failures;
            if (stale()) {
                return;
            }
            everRegistered = true;
            failures = 0;
            lastRenewedMillis = sentAt;
            setState(RegistrationState.REGISTERED);
            schedule(Step.RENEW, untilNextRenewal(sentAt));
        }
        String message = "registered " + target.id()
                + (target.port() > 0
                        ? " (" + target.name() + " at " + target.address() + ":" + target.port() + ")"
                        : "")
                + " with " + manager.backend().type();
        if (previousFailures > 0) {
            Log.warn(message + " after " + previousFailures + " failed attempts");
        } else {
            Log.info(message);
        }
    }

    private void renew() {
        RegistryBackend.Lease current;
        synchronized (this) {
            current = lease;
        }
        if (current == null) {
            attempt();
            return;
        }
        boolean renewed;
        long sentAt = manager.clock().millis();
        try {
            renewed = manager.backend().renew(current);
        } catch (Exception e) {
            failed("heartbeat " + current.instance().id(), e, Step.RENEW, current);
            return;
        }
        synchronized (this) {
            if (stale()) {
                if (!renewed) {
                    lease = null;
                }
                return;
            }
            failures = 0;
            if (renewed) {
                lastRenewedMillis = sentAt;
                schedule(Step.RENEW, untilNextRenewal(sentAt));
                return;
            }
            lease = null;
            setState(RegistrationState.RE_REGISTERING);
            schedule(Step.ATTEMPT, Duration.ZERO);
        }
        Log.warn("the registry no longer knows " + current.instance().id() + "; registering it again");
    }

    /**
     * The next renewal's delay: an interval after the last one was sent, not after it was answered. A registry slow
     * to answer (a creation waits for its journal's fsync, which a busy disk can stretch to seconds) would otherwise
     * push every renewal later by its answer's time, eating the margin before the deadline — all of it with a 3 s
     * timeout, whose interval is 1 s.
     */
    private Duration untilNextRenewal(long sentAt) {
        long took = manager.clock().millis() - sentAt;
        return Duration.ofMillis(Math.max(0, manager.nextInterval().toMillis() - took));
    }

    /** Removes the old entry (if any) and registers the current instance. */
    private void replace() {
        RegistryBackend.Lease old;
        synchronized (this) {
            old = lease;
            lease = null;
        }
        if (old != null) {
            try {
                manager.backend().deregister(old);
            } catch (Exception e) {
                Log.warn(
                        "could not remove the previous entry of "
                                + old.instance().id() + " before updating it",
                        e);
            }
        }
        attempt();
    }

    /**
     * A failed call: back off and retry, forever. A failed heartbeat is retried at once, then with
     * backoff kept inside the time left before the registry's deadline (docs/api.md §8). A refusal
     * ({@link RefusedException}: a limit, credentials, a full quota) is said once as an error and retried
     * every few minutes: sending it again sooner cannot succeed, and a fleet doing so would load the registry.
     */
    private void failed(String what, Exception e, Step retry, RegistryBackend.Lease renewing) {
        boolean refused = e instanceof RefusedException;
        Duration delay;
        int streak;
        boolean firstRefusal;
        synchronized (this) {
            if (stale()) {
                return;
            }
            streak = ++failures;
            firstRefusal = refused && (streak == 1 || !refusing);
            refusing = refused;
            if (refused) {
                delay = manager.refusedRetryDelay();
            } else {
                delay = manager.backoff().delay(streak);
                if (renewing != null) {
                    long left = lastRenewedMillis
                            + manager.heartbeat().timeout().toMillis()
                            - manager.clock().millis();
                    if (streak == 1) {
                        delay = Duration.ZERO;
                    } else if (left > 0) {
                        delay = Duration.ofMillis(Math.min(delay.toMillis(), left / 2));
                    }
                }
            }
            schedule(retry, delay);
        }
        if (firstRefusal) {
            Log.error(what + " refused by the registry; a retry will not change that, the setting or the registry must"
                    + " (trying again every " + RegistrationManager.REFUSED_RETRY.toMinutes() + " minutes): "
                    + e.getMessage());
        } else if (refused) {
            Log.debug(what + " refused again (attempt " + streak + ")", e);
        } else if (Integer.bitCount(streak) == 1) {
            // log the first failures and then ever more rarely (1, 2, 4, 8, …) so an outage of hours
            // does not flood the host application's stderr
            Log.warn(what + " failed (attempt " + streak + ", retrying in " + delay.toMillis() + " ms)", e);
        } else {
            Log.debug(what + " failed (attempt " + streak + ")", e);
        }
    }

    private void removeNow(Duration drain) {
        RegistryBackend backend = manager.backend();
        try {
            io.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            RegistryBackend.Lease current;
            synchronized (this) {
                current = lease;
            }
            if (current == null) {
                return;
            }
            if (!drain.isZero() && backend.supportsDrain()) {
                backend.markOutOfService(current);
                Thread.sleep(drain.toMillis());
            }
            backend.deregister(current);
            synchronized (this) {
                lease = null;
            }
            Log.info("deregistered " + current.instance().id());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            Log.warn("deregistering " + instance().id() + " failed; the registry will expire it", e);
        } finally {
            io.unlock();
            synchronized (this) {
                setState(RegistrationState.DEREGISTERED);
            }
            manager.forget(this);
        }
    }

    /**
     * The lifecycle's steps, scheduled as {@link ScheduledStep}s rather than method references: the agent
     * registers on its start-up path, where every lambda costs a cold JVM a spun class and method handles.
     */
    private enum Step {
        ATTEMPT,
        RENEW,
        REPLACE
    }

    private void perform(Step step) {
        switch (step) {
            case ATTEMPT -> attempt();
            case RENEW -> renew();
            case REPLACE -> replace();
            default -> throw new IllegalStateException("unknown step " + step);
        }
    }

    private static final class ScheduledStep implements Runnable {
        private final Registration registration;
        private final Step step;
        private final int scheduledIn;

        ScheduledStep(Registration registration, Step step, int scheduledIn) {
            this.registration = registration;
            this.step = step;
            this.scheduledIn = scheduledIn;
        }

        @Override
        public void run() {
            registration.run(step, scheduledIn);
        }
    }

    // ---- helpers (caller holds this) -------------------------------------------------------------

    private void schedule(Step step, Duration delay) {
        int scheduledIn = epoch;
        try {
            next = manager.scheduler().schedule(new ScheduledStep(this, step, scheduledIn), delay.toMillis());
        } catch (RejectedExecutionException e) {
            Log.debug("lifecycle scheduler is shut down; " + instance.id() + " is no longer renewed");
        }
    }

    /**
     * Every task catches Throwable: a periodic task that throws is silently cancelled by
     * ScheduledExecutorService, which is exactly how heartbeats die in other tools.
     */
    private void run(Step step, int scheduledIn) {
        try {
            synchronized (this) {
                if (closed || scheduledIn != epoch) {
                    return;
                }
            }
            io.lock();
            try {
                synchronized (this) {
                    if (closed || scheduledIn != epoch) {
                        return;
                    }
                    runningEpoch = scheduledIn;
                }
                perform(step);
            } finally {
                io.unlock();
            }
        } catch (Throwable t) {
            Log.error(
                    "unexpected failure in the registration lifecycle of "
                            + instance().id(),
                    t);
            synchronized (this) {
                if (!closed && scheduledIn == epoch) {
                    failures++;
                    schedule(Step.ATTEMPT, manager.backoff().delay(failures));
                }
            }
        }
    }

    /**
     * Whether the running step was overtaken by {@link #update} or {@link #deregister} while it waited for
     * the registry; it must then schedule nothing (the newer step takes over). Caller holds this.
     */
    private boolean stale() {
        return closed || runningEpoch != epoch;
    }

    private void cancelNext() {
        if (next != null) {
            next.cancel();
            next = null;
        }
    }

    private void setState(RegistrationState newState) {
        if (state != newState) {
            state = newState;
            notifyAll();
        }
    }
}
