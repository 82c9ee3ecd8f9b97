package io.autoreg.agent;

import io.autoreg.agent.full.BundledLibraries;
import io.autoreg.agent.hook.EventQueue;
import io.autoreg.agent.hook.LateHookRequest;
import io.autoreg.agent.hook.ListenerHooks;
import io.autoreg.agent.listen.ListenerTracker;
import io.autoreg.agent.listen.ProcNetListeners;
import io.autoreg.agent.register.LazyRegistration;
import io.autoreg.core.log.Log;

import java.lang.instrument.Instrumentation;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The agent's daemon thread ({@code autoreg-agent}): hooks the classes loaded before the transformer was
 * registered and catches up on listeners that may exist already (only then, or when attached), then
 * handles events one at a time. The queue it reads carries the hooks'
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
    private final EventQueue queue = new EventQueue(QUEUE_CAPACITY);
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

    /**
     * Registers the hooks' transformer from the calling thread ({@code premain}): from then on the JVM tells
     * the agent about every hooked class as it loads, so no bind can pass unseen, and the agent's thread
     * needs no catch-up at start unless a hooked class was loaded before.
     *
     * @param agentThread     the thread that will run this runtime and do the ASM work
     * @param rewriteAtOnce   rewrite hooked classes on the loading thread instead: used when the JVM itself
     *                        opens listeners right after {@code premain} (the JMX connector and its RMI server
     *                        on an anonymous port), whose binds must be seen with their stack to be recognised
     */
    void registerHooks(Thread agentThread, boolean rewriteAtOnce) {
        hooks = ListenerHooks.register(instrumentation, queue, rewriteAtOnce ? null : agentThread);
    }

    @Override
    public void run() {
        try {
            boolean loadedBefore = hooks.retransformLoaded();
            Log.debug((attached ? "attached" : "started") + ", hooks in " + hooks.hookedClasses());
            if (!hooks.failures().isEmpty()) {
                Log.warn("some listeners cannot be hooked: " + hooks.failures());
            }
            LazyRegistration registration = new LazyRegistration(arguments.overrides(), new PostToAgentThread(queue),
                    new TurnOff(this), new BundledLibraries(instrumentation, AgentRuntime.class.getClassLoader()));
            ProcNetListeners proc = ProcNetListeners.ofThisProcess();
            ListenerTracker tracker = new ListenerTracker(registration, proc, preexistingSockets);
            if (attached || loadedBefore) {
                tracker.catchUp();
            }
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

    private void scheduleReconcile(ListenerTracker tracker) {
        Thread timer = new Thread(new Reconciler(tracker, queue), "autoreg-reconcile");
        timer.setDaemon(true);
        timer.start();
    }

    // Named classes rather than lambdas on the start-up path: each lambda costs a cold JVM the spinning of its
    // class and method-handle forms (and the JIT work that follows), ~1 ms apiece on the host's time.

    /** Runs a task on the agent's thread (never blocks the caller; dropped if the queue is full). */
    private static final class PostToAgentThread implements Executor {
        private final EventQueue queue;

        PostToAgentThread(EventQueue queue) {
            this.queue = queue;
        }

        @Override
        public void execute(Runnable task) {
            queue.offer(task);
        }
    }

    private static final class TurnOff implements Runnable {
        private final AgentRuntime runtime;

        TurnOff(AgentRuntime runtime) {
            this.runtime = runtime;
        }

        @Override
        public void run() {
            runtime.turnOff();
        }
    }

    /** Re-reads the listeners a little after a close of a listener the hooks did not see open. */
    private static final class Reconciler implements Runnable {
        private final ListenerTracker tracker;
        private final EventQueue queue;

        Reconciler(ListenerTracker tracker, EventQueue queue) {
            this.tracker = tracker;
            this.queue = queue;
        }

        @Override
        public void run() {
            for (long delay : RECONCILE_DELAYS_MILLIS) {
                try {
                    TimeUnit.MILLISECONDS.sleep(delay);
                } catch (InterruptedException e) {
                    return;
                }
                queue.offer(new Runnable() {
                    @Override
                    public void run() {
                        tracker.reconcile();
                    }
                });
            }
        }
    }

    private void turnOff() {
        running = false;
        if (hooks != null) {
            hooks.uninstall();
        }
        queue.clear();
    }
}
