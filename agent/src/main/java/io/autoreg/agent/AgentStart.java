package io.autoreg.agent;

import io.autoreg.agent.hook.EventQueue;
import io.autoreg.agent.hook.ListenerHooks;
import java.lang.instrument.Instrumentation;
import java.util.Set;

/**
 * The agent's one thread, {@code autoreg-agent}: what {@code premain} (or {@code agentmain}) decided, and the
 * loop that takes the {@link EventQueue} — hook events, hooked classes to rewrite, and tasks (the start-up
 * watch's looks, the runtime's start, re-reads of {@code /proc}, readiness probes), some of them scheduled.
 * Everything the agent does after {@code premain} runs here or, once registered, on the lifecycle's scheduler
 * (docs/architecture.md, "The agent"); only the JVM's shutdown hook is a thread of its own.
 *
 * <p>The thread runs the start-up watch, or is started by the queue at its first item (a hooked class the
 * application loads, a bind through a patched JDK class), or at once (attached, JMX). When the watch gives up,
 * this thread ends and a fresh, unstarted one is handed to the queue ({@link EventQueue#startAtFirstItem}), so a
 * JVM that never listens keeps no agent thread. Named classes, no lambdas: each lambda on the
 * start-up path costs a cold JVM a spun class and method-handle forms (see the comment in {@link AgentRuntime}).
 */
final class AgentStart implements Runnable {

    static final String THREAD = "autoreg-agent";

    private final AgentArguments arguments;
    private final Instrumentation instrumentation;
    private final Set<String> preexisting;
    private final EventQueue queue;
    /** The thread that may take from the queue; a thread that is no longer it leaves the loop. */
    private volatile Thread thread;
    /** Registered in {@link #hooksNow}, or by the runtime. */
    private ListenerHooks hooks;
    /** The JDK classes patched as premain loaded them ({@link #prepatch}); empty before, or when none could be. */
    private Set<String> prepatched = Set.of();
    /** Whether the start-up watch runs: a listener that appears meanwhile starts the runtime with a catch-up. */
    private boolean watching;
    /** Created on this thread when it starts; null before. */
    private AgentRuntime runtime;
    /** Run by the thread before it takes from the queue (the start-up watch's first look); null after. */
    private Runnable firstTask;

    /**
     * @param preexisting socket inodes present at {@code premain} (JVM-internal listeners); empty when attached
     */
    AgentStart(AgentArguments arguments, Instrumentation instrumentation, Set<String> preexisting, EventQueue queue) {
        this.arguments = arguments;
        this.instrumentation = instrumentation;
        this.preexisting = preexisting;
        this.queue = queue;
        this.thread = newThread(this);
    }

    EventQueue queue() {
        return queue;
    }

    /** Starts the thread with the start-up watch as its first task (after {@link #prepatch}, in premain). */
    void watch(StartupWatch watch) {
        watching = true;
        // the thread's first task, not scheduled: the queue's timer (a PriorityQueue, parsed from the runtime
        // image) then loads on the agent's thread, not in premain
        firstTask = watch;
        thread.start();
    }

    /**
     * Loads the JDK's hooked classes patched, on the calling thread ({@link ListenerHooks#prepatchJdkClasses}): from
     * then on a bind through them is an event on the queue, which starts the runtime as a hooked class would, and they
     * need no retransformation when the runtime starts. Called once, by premain, before {@link #watch}.
     */
    void prepatch() {
        try {
            prepatched = ListenerHooks.prepatchJdkClasses(instrumentation, queue);
        } catch (RuntimeException e) {
            // the transformer could not be added or removed: the classes are hooked by the runtime, as before
            prepatched = Set.of();
        }
    }

    /** Whether the runtime has started (the watch then has nothing left to look for). */
    boolean runtimeStarted() {
        return runtime != null;
    }

    /** Starts the thread now with the runtime's start as its first task; the runtime registers the hooks. */
    void runtimeNow(AgentRuntime.Start how) {
        queue.schedule(0, new StartRuntime(this, how));
        thread.start();
    }

    /**
     * Registers the hooks now; the runtime starts with the first hooked class the application loads from now
     * on, or at once if one is loaded already. Called by {@code premain}, or on this thread by the start-up
     * watch when it gives up: this thread then ends, and the queue starts a fresh one.
     *
     * @param rewriteOnLoadingThread rewrite hooked classes at once on the thread that loads them, and start the
     *                               runtime now: for listeners the JVM opens right after {@code premain} (JMX),
     *                               which must be seen with their stack to be recognised as the JVM's own
     */
    void hooksNow(boolean rewriteOnLoadingThread) {
        watching = false;
        // A JVM that never listens keeps no agent thread: this one ends, and the queue starts a fresh one at its
        // first item (a hooked class loaded, a bind through a patched JDK class) or task (the runtime's start).
        Thread next = thread.getState() == Thread.State.NEW ? thread : newThread(this);
        hooks = ListenerHooks.register(instrumentation, queue, rewriteOnLoadingThread ? null : next, prepatched);
        thread = next;
        if (rewriteOnLoadingThread) {
            runtimeNow(AgentRuntime.Start.HOOKED_CLASS_LOADED);
            return;
        }
        queue.startAtFirstItem(next);
        if (hooks.targetLoaded()) {
            queue.schedule(0, new StartRuntime(this, AgentRuntime.Start.HOOKED_CLASS_LOADED));
        }
    }

    @Override
    public void run() {
        try {
            if (firstTask != null) {
                Runnable task = firstTask;
                firstTask = null;
                task.run();
            }
            while (thread == Thread.currentThread()) {
                Object item = queue.take();
                if (item instanceof Runnable task) {
                    task.run();
                    continue;
                }
                if (runtime == null && watching) {
                    // a bind through a patched JDK class: the runtime starts with it, handled before the hooks go in
                    if (!startRuntime(AgentRuntime.Start.BIND_REPORTED, item)) {
                        return;
                    }
                    continue;
                }
                if (runtime == null) {
                    // the first hooked class loaded after the hooks went in (it is about to listen), or its bind
                    startRuntime(AgentRuntime.Start.HOOKED_CLASS_LOADED, null);
                }
                if (!runtime.handle(item)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            System.err.println("[autoreg] agent stopped, the application runs without registration: " + t);
            if (runtime != null) {
                runtime.turnOff();
            }
        }
    }

    /**
     * Starts the runtime unless it runs already.
     *
     * @param reported the hook event that starts it, handled before the hooks are registered, or null
     * @return false when the settings turned the agent off as it started
     */
    private boolean startRuntime(AgentRuntime.Start how, Object reported) throws InterruptedException {
        if (runtime != null) {
            return true;
        }
        runtime = new AgentRuntime(arguments, instrumentation, how, preexisting, queue, hooks, prepatched);
        return runtime.start(reported);
    }

    private static Thread newThread(Runnable loop) {
        Thread thread = new Thread(loop, THREAD);
        thread.setDaemon(true);
        return thread;
    }

    /** Creates and starts the runtime on this thread: its classes are loaded (and verified) here, not by the caller. */
    private static final class StartRuntime implements Runnable {
        private final AgentStart start;
        private final AgentRuntime.Start how;

        StartRuntime(AgentStart start, AgentRuntime.Start how) {
            this.start = start;
            this.how = how;
        }

        @Override
        public void run() {
            try {
                start.startRuntime(how, null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** For the start-up watch when it sees the first listener: the runtime starts now, on this thread. */
    void listenerSeen() throws InterruptedException {
        startRuntime(AgentRuntime.Start.LISTENER_SEEN, null);
    }
}
