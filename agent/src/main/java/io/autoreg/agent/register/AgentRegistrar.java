package io.autoreg.agent.register;

import io.autoreg.agent.listen.Listener;
import io.autoreg.agent.listen.ListenerSink;
import io.autoreg.core.internal.lifecycle.Registration;
import io.autoreg.core.internal.lifecycle.RegistrationManager;
import io.autoreg.core.internal.log.Log;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides what to register for the listeners of the process, confined to the agent's thread.
 *
 * <p>Per JVM (default): the first eligible listener (once ready) is registered, every eligible port
 * is listed in {@code metadata.ports}; when it closes and others remain, the next one takes over.
 * Per port: one registration per eligible listener. A closed listener is deregistered.
 */
final class AgentRegistrar implements ListenerSink {

    private final AgentSettings settings;
    private final ListenerPolicy policy;
    private final InstanceFactory instances;
    private final ReadinessProbe readiness;
    private final RegistrationManager manager;
    private final Map<Integer, Listener> eligible = new LinkedHashMap<>();
    private final Map<Integer, Registration> registrations = new HashMap<>();
    /** Per JVM: the port being probed or registered, or null. */
    private Integer candidate;

    private volatile boolean shuttingDown;

    AgentRegistrar(
            AgentSettings settings, InstanceFactory instances, ReadinessProbe readiness, RegistrationManager manager) {
        this.settings = settings;
        this.policy = new ListenerPolicy(settings);
        this.instances = instances;
        this.readiness = readiness;
        this.manager = manager;
    }

    @Override
    public void opened(Listener listener) {
        if (!policy.admits(listener)) {
            return;
        }
        int port = listener.port();
        eligible.put(port, listener);
        if (settings.mode() == AgentSettings.Mode.PER_PORT) {
            startWhenReady(listener);
        } else if (candidate == null) {
            candidate = port;
            startWhenReady(listener);
        } else {
            Registration primary = registrations.get(candidate);
            if (primary != null) {
                primary.update(instances.create(eligible.get(candidate), eligible.keySet(), false));
            }
        }
    }

    @Override
    public void closed(Listener listener) {
        int port = listener.port();
        if (eligible.remove(port) == null) {
            return;
        }
        if (shuttingDown || jvmShuttingDown()) {
            // The application closes its listeners in a shutdown hook of its own, which the JVM runs alongside ours
            // (ShutdownDeregistration), in no set order: deleting here would skip the drain (out of service, then the
            // wait) that ours owes consumers. Our hook deregisters every registration; a close seen first leaves it.
            Log.debug("port " + port + " closed as the JVM shuts down: left to the shutdown hook's drain");
            return;
        }
        Registration registration = registrations.remove(port);
        if (registration != null) {
            registration.deregisterOnScheduler(); // never blocks the agent's thread, starts no thread
        }
        if (settings.mode() == AgentSettings.Mode.PER_JVM) {
            if (candidate != null && candidate == port) {
                candidate = null;
                if (!eligible.isEmpty() && !shuttingDown) {
                    Listener next = eligible.values().iterator().next();
                    candidate = next.port();
                    startWhenReady(next);
                }
            } else if (candidate != null && registrations.get(candidate) != null) {
                registrations
                        .get(candidate)
                        .update(instances.create(eligible.get(candidate), eligible.keySet(), false));
            }
        }
    }

    private void startWhenReady(Listener listener) {
        int port = listener.port();
        if (!readiness.probes()) {
            register(port); // the common case, without the lambdas below (start-up cost in a cold JVM)
            return;
        }
        readiness.whenReady(listener, () -> !shuttingDown && eligible.containsKey(port), () -> register(port));
    }

    private void register(int port) {
        Listener listener = eligible.get(port);
        if (listener == null || shuttingDown || registrations.containsKey(port)) {
            return;
        }
        boolean perPort = settings.mode() == AgentSettings.Mode.PER_PORT;
        if (!perPort && (candidate == null || candidate != port)) {
            return;
        }
        registrations.put(
                port,
                manager.register(instances.create(listener, perPort ? List.of(port) : eligible.keySet(), perPort)));
    }

    /**
     * Whether the JVM has begun to shut down, whether or not our hook has run yet: the JVM refuses new shutdown hooks
     * from then on. Asked only when a listener closes.
     */
    private static boolean jvmShuttingDown() {
        Thread probe = new Thread(NOTHING, "autoreg-shutdown-probe");
        try {
            Runtime.getRuntime().addShutdownHook(probe);
        } catch (IllegalStateException shutdownInProgress) {
            return true;
        } catch (RuntimeException notAllowed) {
            return false; // a security manager's refusal: as before, deregister at once
        }
        try {
            Runtime.getRuntime().removeShutdownHook(probe);
        } catch (IllegalStateException shutdownBeganMeanwhile) {
            return true; // the probe then runs with the other hooks, doing nothing
        }
        return false;
    }

    /** The probe hook's body: never run, the hook is removed at once. */
    private static final Runnable NOTHING = new Runnable() { // not a lambda: a spun class in a cold host JVM
                @Override
                public void run() {}
            };

    /** From the shutdown hook: no new registrations from now on. */
    void shuttingDown() {
        shuttingDown = true;
    }
}
