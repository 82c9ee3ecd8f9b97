package io.autoreg.core.testing;

import io.autoreg.core.internal.lifecycle.RegistryBackend;
import io.autoreg.core.internal.model.ServiceInstance;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * An in-memory registry that records every call and can be scripted to fail: each queued outcome is
 * consumed by the next call of that kind ({@code null} = behave normally).
 */
public final class FakeBackend implements RegistryBackend {

    public record Call(String op, String id) {}

    public record FakeLease(ServiceInstance instance, int generation) implements Lease {}

    private final List<Call> calls = new ArrayList<>();
    private final Map<String, FakeLease> live = new ConcurrentHashMap<>();
    private final Deque<Throwable> registerFailures = new ArrayDeque<>();
    private final Deque<Object> renewOutcomes = new ArrayDeque<>();
    private volatile CountDownLatch registerGate;
    private volatile Runnable duringNextRegister;
    private volatile CountDownLatch deregisterGate;
    private int generation;
    private volatile boolean drainable;

    @Override
    public String type() {
        return "fake";
    }

    @Override
    public Lease register(ServiceInstance instance, Duration ttl) throws IOException {
        record("register", instance.id());
        await(registerGate);
        Runnable hook = duringNextRegister;
        duringNextRegister = null;
        if (hook != null) {
            hook.run();
        }
        Throwable failure;
        synchronized (this) {
            failure = registerFailures.poll();
        }
        throwIt(failure);
        FakeLease lease;
        synchronized (this) {
            lease = new FakeLease(instance, ++generation);
        }
        live.put(instance.id(), lease);
        return lease;
    }

    @Override
    public boolean renew(Lease lease) throws IOException {
        record("renew", lease.instance().id());
        Object outcome;
        synchronized (this) {
            outcome = renewOutcomes.poll();
        }
        if (outcome instanceof Throwable t) {
            throwIt(t);
        }
        if (outcome instanceof Runnable inFlight) {
            inFlight.run();
        }
        if (Boolean.FALSE.equals(outcome)) {
            live.remove(lease.instance().id());
        }
        return live.get(lease.instance().id()) == lease;
    }

    @Override
    public void deregister(Lease lease) throws IOException {
        record("deregister", lease.instance().id());
        await(deregisterGate);
        live.remove(lease.instance().id(), lease);
    }

    @Override
    public boolean supportsDrain() {
        return drainable;
    }

    @Override
    public void markOutOfService(Lease lease) {
        record("out-of-service", lease.instance().id());
    }

    public FakeBackend drainable() {
        drainable = true;
        return this;
    }

    /** The next {@code n} registrations fail with {@code failure}. */
    public synchronized FakeBackend failRegister(int n, Throwable failure) {
        for (int i = 0; i < n; i++) {
            registerFailures.add(failure);
        }
        return this;
    }

    /**
     * The next renewal answers {@code outcome}: TRUE, FALSE (registry forgot it), a Throwable, or a Runnable run while
     * the call is in flight (then renewed).
     */
    public synchronized FakeBackend nextRenew(Object outcome) {
        renewOutcomes.add(outcome);
        return this;
    }

    /** Runs {@code action} inside the next register call, as if it happened while the call was in flight. */
    public void duringNextRegister(Runnable action) {
        duringNextRegister = action;
    }

    /** Makes register block until the returned latch is counted down. */
    public CountDownLatch holdRegister() {
        registerGate = new CountDownLatch(1);
        return registerGate;
    }

    public CountDownLatch holdDeregister() {
        deregisterGate = new CountDownLatch(1);
        return deregisterGate;
    }

    public boolean isLive(String id) {
        return live.containsKey(id);
    }

    public FakeLease lease(String id) {
        return live.get(id);
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    public synchronized long count(String op) {
        return calls.stream().filter(c -> c.op().equals(op)).count();
    }

    private synchronized void record(String op, String id) {
        calls.add(new Call(op, id));
    }

    private static void await(CountDownLatch gate) {
        if (gate != null) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void throwIt(Throwable t) throws IOException {
        if (t == null) {
            return;
        }
        if (t instanceof IOException io) {
            throw io;
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IOException(t);
    }
}
