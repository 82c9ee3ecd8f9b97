package io.autoreg.agent;

import io.autoreg.agent.full.BundledLibraries;
import io.autoreg.agent.hook.EventQueue;
import io.autoreg.agent.hook.LateHookRequest;
import io.autoreg.agent.hook.ListenerHooks;
import io.autoreg.agent.listen.ListenerTracker;
import io.autoreg.agent.listen.ProcNetListeners;
import io.autoreg.agent.register.LazyRegistration;
import io.autoreg.core.internal.log.Log;

import java.lang.instrument.Instrumentation;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The agent's daemon thread ({@code autoreg-agent}), started when the application first listens — seen by
 * the {@link StartupWatch} in {@code /proc}, or by the hooks when a hooked class loads — or at once when
 * attached (see {@link AutoregAgent} and {@link Start}): it registers the hooks if they are not in yet, hooks
 * the classes loaded before them, catches up on the listeners that exist already (if any can), then handles
 * events one at a time. The queue it reads carries the hooks'
 * {@code Object[]} events, {@link LateHookRequest}s for hooked classes the application loaded since
 * (hooked here, then caught up on), and {@link Runnable}s posted back by helper threads, so all
 * listener and registration state lives on this one thread.
 */
final class AgentRuntime implements Runnable {

    /** What started the runtime, which decides its first steps. */
    enum Start {
        /** Loaded into a running JVM: hooks registered here at once, then a catch-up. */
        ATTACHED(false, true),
        /** The start-up watch saw the first listener in {@code /proc}: settle, hooks registered here, catch-up. */
        LISTENER_SEEN(true, true),
        /**
         * A class with hooks loaded after the hooks were registered (the watch was over, or could not run): the
         * bind follows; settle, then a catch-up only if hooked classes had loaded before the hooks.
         */
        HOOKED_CLASS_LOADED(true, false);

        final boolean settles;
        final boolean catchesUp;

        Start(boolean settles, boolean catchesUp) {
            this.settles = settles;
            this.catchesUp = catchesUp;
        }
    }

    /**
     * Started just after (or just before) the application's first bind: the agent's one-time work (ASM rewrite, settings, its first HTTP exchange, ~30 ms of CPU in a cold JVM, plus
     * the JIT work it triggers) waits this long, so that it does not compete on a small machine with the
     * application finishing its start and answering its first requests. Registration stays well inside
     * 300 ms of the bind.
     */
    static final long SETTLE_MILLIS = 100;
    /** A closed channel's descriptor may outlive the close call briefly (a thread blocked in accept). */
    private static final long[] RECONCILE_DELAYS_MILLIS = {100, 1000};

    private final AgentArguments arguments;
    private final Instrumentation instrumentation;
    private final Start start;
    private final EventQueue queue;
    private volatile boolean running = true;
    private volatile ListenerHooks hooks;

    private final Set<String> preexistingSockets;

    /**
     * @param preexistingSockets socket inodes present at {@code premain} (JVM-internal listeners); empty when attached
     * @param queue              the hooks' event queue
     * @param hooks              registered already, or null to register them on this thread
     */
    AgentRuntime(AgentArguments arguments, Instrumentation instrumentation, Start start, Set<String> preexistingSockets,
                 EventQueue queue, ListenerHooks hooks) {
        this.arguments = arguments;
        this.instrumentation = instrumentation;
        this.start = start;
        this.preexistingSockets = preexistingSockets;
        this.queue = queue;
        this.hooks = hooks;
    }

    @Override
    public void run() {
        try {
            if (start.settles) {
                Thread.sleep(SETTLE_MILLIS);
            }
            if (hooks == null) {
                hooks = ListenerHooks.register(instrumentation, queue, Thread.currentThread());
            }
            // No hooked class loads unseen now; one loaded before the hooks is hooked here, and only then can a
            // listener predate the hooks.
            boolean loadedBefore = hooks.retransformLoaded();
            Log.debug("started (" + start + "), hooks in " + hooks.hookedClasses());
            if (!hooks.failures().isEmpty()) {
                Log.warn("some listeners cannot be hooked: " + hooks.failures());
            }
            ListenerTracker tracker = null;
            if (start.catchesUp || loadedBefore) {
                tracker = newTracker();
                tracker.catchUp();
            }
            while (running) {
                Object item = queue.take();
                if (tracker == null) {
                    tracker = newTracker();     // at the first event: until then there is nothing to track
                }
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

    private ListenerTracker newTracker() {
        LazyRegistration registration = new LazyRegistration(arguments.overrides(), new PostToAgentThread(queue),
                new TurnOff(this), new BundledLibraries(instrumentation, AgentRuntime.class.getClassLoader()));
        return new ListenerTracker(registration, ProcNetListeners.ofThisProcess(), preexistingSockets);
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
