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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The agent's runtime, on its one thread ({@code autoreg-agent}, see {@link AgentStart}): started when the
 * application first listens — seen by the {@link StartupWatch} in {@code /proc}, or by the hooks when a hooked
 * class loads — or at once when attached (see {@link AutoregAgent} and {@link Start}). It registers the hooks
 * if they are not in yet, hooks the classes loaded before them, catches up on the listeners that exist already
 * (if any can), then handles events one at a time: the hooks' {@code Object[]} events and
 * {@link LateHookRequest}s for hooked classes the application loaded since (hooked here, then caught up on).
 * Its timers (re-reads of {@code /proc}, readiness probes) are tasks scheduled on the same queue, so all
 * listener and registration state lives on this one thread.
 */
final class AgentRuntime {

    /** What started the runtime, which decides its first steps. */
    enum Start {
        /** Loaded into a running JVM: hooks registered here at once, then a catch-up. */
        ATTACHED(false, CatchUp.AFTER_HOOKS),
        /**
         * The start-up watch saw the first listener in {@code /proc}: settle, catch-up (that listener, bound in native
         * code, has no event), then the hooks registered here. The JDK's hooked classes were patched as they loaded,
         * so their binds are events meanwhile.
         */
        LISTENER_SEEN(true, CatchUp.BEFORE_HOOKS),
        /**
         * A patched JDK class reported a bind while the watch ran: the event names the listener, so settle, handle
         * that event (the first registration, still without the hooks' class-file-load hook, as after a catch-up),
         * then register the hooks, with no catch-up of its own. A listener bound in native code since the watch's
         * last look is found by the catch-up that follows when its class (Netty's) was loaded before the hooks and
         * is retransformed; only one bound by other native code in those ≤ 50 ms would wait for a later catch-up
         * (docs/architecture.md, "Start-up path").
         */
        BIND_REPORTED(true, CatchUp.NONE),
        /**
         * A class with hooks loaded after the hooks were registered (the watch was over, or could not run): the
         * bind follows; settle, and no catch-up of its own.
         */
        HOOKED_CLASS_LOADED(true, CatchUp.NONE);

        final boolean settles;
        final CatchUp catchUp;

        Start(boolean settles, CatchUp catchUp) {
            this.settles = settles;
            this.catchUp = catchUp;
        }
    }

    /**
     * When the runtime's start looks at {@code /proc} for the listeners that exist already. Whatever it says, a
     * hooked class that loaded before the hooks gets a catch-up after them: a bind through it had no event.
     */
    enum CatchUp {
        NONE,
        /**
         * Before the hooks: the first registration loads ~100 classes (settings, client, lifecycle, the JDK's), and
         * with no transformer registered yet none of them goes through the class-file-load hook (for a class from
         * the CDS archive, the JVM reads its bytes from the runtime image just to hand them over).
         */
        BEFORE_HOOKS,
        AFTER_HOOKS
    }

    /** A closed channel's descriptor may outlive the close call briefly (a thread blocked in accept). */
    private static final long[] RECONCILE_DELAYS_MILLIS = {100, 1000};

    private final AgentArguments arguments;
    private final Instrumentation instrumentation;
    private final Start start;
    private final EventQueue queue;
    private volatile boolean running = true;
    private volatile ListenerHooks hooks;
    private ListenerTracker tracker;

    private final Set<String> preexistingSockets;
    /** JDK classes patched as they loaded, before the runtime ({@link ListenerHooks#prepatchJdkClasses}). */
    private final Set<String> prepatched;
    /** Hook failures already logged (the hooks keep every failure; each is logged once). */
    private final Set<String> reportedFailures = new HashSet<>();

    /**
     * @param preexistingSockets socket inodes present at {@code premain} (JVM-internal listeners); empty when attached
     * @param queue              the hooks' event queue
     * @param hooks              registered already, or null to register them on this thread
     * @param prepatched         JDK classes that carry their hooks already (empty when attached or with JMX)
     */
    AgentRuntime(
            AgentArguments arguments,
            Instrumentation instrumentation,
            Start start,
            Set<String> preexistingSockets,
            EventQueue queue,
            ListenerHooks hooks,
            Set<String> prepatched) {
        this.arguments = arguments;
        this.prepatched = prepatched;
        this.instrumentation = instrumentation;
        this.start = start;
        this.preexistingSockets = preexistingSockets;
        this.queue = queue;
        this.hooks = hooks;
    }

    /**
     * Registers the hooks if they are not in yet, hooks the classes loaded before them and catches up on the
     * listeners that exist already (if any can). On the agent's thread, after the settling pause
     * ({@link StartupSettle}).
     *
     * @param reported the hook event that started it ({@link Start#BIND_REPORTED}), handled before the hooks are
     *                 registered; null otherwise
     * @return false when the settings turned the agent off meanwhile
     */
    boolean start(Object reported) throws InterruptedException {
        if (start.settles) {
            // Started just after (or just before) the application's first bind: the one-time work (the hooks, the
            // settings, the first HTTP exchange: ~10-20 ms of CPU in a cold JVM, plus the JIT work it triggers)
            // waits until the application's first requests leave a core to spare, so that it does not compete
            // with them on a small machine; registration stays inside 300 ms of the bind.
            StartupSettle.ofThisProcess().await();
        }
        if (start.catchUp == CatchUp.BEFORE_HOOKS) {
            tracker().catchUp();
        }
        if (reported != null) {
            handle(reported);
        }
        if (!running) {
            return false; // the settings turned the agent off
        }
        if (hooks == null) {
            hooks = ListenerHooks.register(instrumentation, queue, Thread.currentThread(), prepatched);
        }
        // No hooked class loads unseen now; one loaded before the hooks is hooked here, and only then can a
        // listener predate the hooks.
        boolean loadedBefore = hooks.retransformLoaded();
        if (Log.enabled(Log.Level.DEBUG)) { // the message alone is cold code for a cold JVM: built only when logged
            Log.debug("started (" + start + "), hooks in " + hooks.hookedClasses()
                    + (hooks.asmRewritten().isEmpty() ? "" : ", rewritten by ASM: " + hooks.asmRewritten()));
        }
        reportHookFailures();
        if (start.catchUp == CatchUp.AFTER_HOOKS || loadedBefore) {
            tracker().catchUp();
        }
        return running;
    }

    /**
     * Handles one hook event or {@link LateHookRequest} from the queue (tasks are run by the loop itself).
     *
     * @return false once the agent is off: the loop ends
     */
    boolean handle(Object item) {
        if (!running) {
            return false;
        }
        ListenerTracker listeners = tracker(); // created at the first event: until then there is nothing to track
        if (item instanceof Object[] event) {
            boolean unknownClose = listeners.isUnknownClose(event);
            listeners.onHookEvent(event);
            if (unknownClose && listeners.hasUnownedListeners()) {
                scheduleReconcile();
            }
        } else if (item instanceof LateHookRequest late) {
            hooks.hookLate(late);
            reportHookFailures();
            listeners.catchUp();
        }
        return running;
    }

    /**
     * One warning for each class that could not be hooked, when it is first known: at the start, and for a class
     * the application loads later (its listeners are then only found in {@code /proc}, by the catch-ups).
     */
    private void reportHookFailures() {
        List<String> fresh = new ArrayList<>();
        for (String failure : hooks.failures()) {
            if (reportedFailures.add(failure)) {
                fresh.add(failure);
            }
        }
        if (!fresh.isEmpty()) {
            Log.warn("some listeners cannot be hooked: " + fresh);
        }
    }

    /** The listener tracker, created when first needed (with the registration side it feeds). */
    private ListenerTracker tracker() {
        if (tracker == null) {
            tracker = newTracker();
        }
        return tracker;
    }

    private ListenerTracker newTracker() {
        LazyRegistration registration = new LazyRegistration(
                arguments.overrides(),
                queue,
                new TurnOff(this),
                new BundledLibraries(AgentRuntime.class.getClassLoader()));
        return new ListenerTracker(registration, ProcNetListeners.ofThisProcess(), preexistingSockets);
    }

    /** Looks at the listeners again a little after a close of one the hooks did not see open. */
    private void scheduleReconcile() {
        Reconcile reconcile = new Reconcile(tracker);
        for (long delay : RECONCILE_DELAYS_MILLIS) {
            queue.schedule(delay, reconcile);
        }
    }

    // Named classes rather than lambdas on the start-up path: each lambda costs a cold JVM the spinning of its
    // class and method-handle forms (and the JIT work that follows), ~1 ms apiece on the host's time.

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

    /** Re-reads the listeners (on the agent's thread, as a scheduled task). */
    private static final class Reconcile implements Runnable {
        private final ListenerTracker tracker;

        Reconcile(ListenerTracker tracker) {
            this.tracker = tracker;
        }

        @Override
        public void run() {
            tracker.reconcile();
        }
    }

    void turnOff() {
        running = false;
        if (hooks != null) {
            hooks.uninstall();
        }
        queue.clear();
    }
}
