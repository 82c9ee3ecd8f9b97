package io.autoreg.agent;

import io.autoreg.agent.hook.LateHookRequest;
import io.autoreg.agent.hook.ListenerHooks;
import io.autoreg.agent.listen.ListenerTracker;
import io.autoreg.agent.listen.ProcNetListeners;
import io.autoreg.agent.register.LazyRegistration;
import io.autoreg.core.log.Log;

import java.lang.instrument.Instrumentation;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The agent's daemon thread ({@code autoreg-agent}): installs the hooks, catches up on listeners that
 * already exist, then handles events one at a time. The queue it reads carries the hooks'
 * {@code Object[]} events, {@link LateHookRequest}s for hooked classes the application loaded since
 * (hooked here, then caught up on), and {@link Runnable}s posted back by helper threads, so all
 * listener and registration state lives on this one thread.
 */
final class AgentRuntime implements Runnable {

    /** Bounded: a pathological app binding in a loop can never make the agent hold unbounded memory. */
    private static final int QUEUE_CAPACITY = 4096;
    /** A closed channel's descriptor may outlive the close call briefly (a thread blocked in accept). */
    private static final long[] RECONCILE_DELAYS_MILLIS = {100, 1000};

    private final AgentArguments arguments;
    private final Instrumentation instrumentation;
    private final boolean attached;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private volatile boolean running = true;
    private volatile ListenerHooks hooks;

    private final Set<String> preexistingSockets;

    /** @param preexistingSockets socket inodes present at {@code premain} (JVM-internal listeners); empty when attached */
    AgentRuntime(AgentArguments arguments, Instrumentation instrumentation, boolean attached, Set<String> preexistingSockets) {
        this.arguments = arguments;
        this.instrumentation = instrumentation;
        this.attached = attached;
        this.preexistingSockets = preexistingSockets;
    }

    @Override
    public void run() {
        try {
            if (hooks == null) {
                hooks = ListenerHooks.install(instrumentation, queue);
            }
            Log.debug((attached ? "attached" : "started") + ", hooks in " + hooks.hookedClasses());
            if (!hooks.failures().isEmpty()) {
                Log.warn("some listeners cannot be hooked: " + hooks.failures());
            }
            LazyRegistration registration = new LazyRegistration(arguments.overrides(), this::post, this::turnOff);
            ProcNetListeners proc = ProcNetListeners.ofThisProcess();
            ListenerTracker tracker = new ListenerTracker(registration, proc, preexistingSockets);
            tracker.catchUp();
            while (running) {
                Object item = queue.take();
                if (item instanceof Object[] event) {
                    boolean unknownClose = tracker.isUnknownClose(event);
                    tracker.onHookEvent(event);
                    if (unknownClose && tracker.hasUnownedListeners()) {
                        scheduleReconcile(tracker);
                    }
                } else if (item instanceof LateHookRequest late) {
                    hooks.hookLate(late);
                    tracker.catchUp();
                } else if (item instanceof Runnable task) {
                    task.run();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            System.err.println("[autoreg] agent stopped, the application runs without registration: " + t);
            turnOff();
        }
    }

    /**
     * Installs the hooks on the calling thread ({@code premain}), rewriting hooked classes as they load.
     * Used when the JVM itself will open listeners right after {@code premain} (the JMX connector and
     * its RMI server on an anonymous port): their binds must be seen with their stack to be recognised.
     */
    void installHooksNow() {
        hooks = ListenerHooks.install(instrumentation, queue, false);
    }

    /** Runs a task on this thread (never blocks the caller; dropped if the queue is full). */
    private void post(Runnable task) {
        queue.offer(task);
    }

    private void scheduleReconcile(ListenerTracker tracker) {
        Thread timer = new Thread(() -> {
            for (long delay : RECONCILE_DELAYS_MILLIS) {
                try {
                    TimeUnit.MILLISECONDS.sleep(delay);
                } catch (InterruptedException e) {
                    return;
                }
                post(tracker::reconcile);
            }
        }, "autoreg-reconcile");
        timer.setDaemon(true);
        timer.start();
    }

    private void turnOff() {
        running = false;
        if (hooks != null) {
            hooks.uninstall();
        }
        queue.clear();
    }
}
