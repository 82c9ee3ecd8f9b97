package io.autoreg.agent.hook;

import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;

/**
 * Installs the bind/close hooks and connects them to the agent's event queue.
 *
 * <p>The queue is a bounded {@link EventQueue} (a {@link Queue} to the hooks), published in {@link HookEvents}. The
 * hooks in the JDK's own classes call it directly when the agent's classes come from the boot loader; hooks in classes
 * that cannot name them reach it through the system class loader ({@link HookEventSink}), and only where that loader
 * does not find the sink through the system properties under a private key ({@link HookRoute}). The inserted code only
 * {@code offer}s an {@code Object[]} event (a few lines under a monitor that never blocks), so no other agent code
 * runs on the application's bind path.
 */
public final class ListenerHooks {

    /** Private key of the event queue in the system properties. */
    public static final String QUEUE_KEY = "io.autoreg.agent.internal.listener-events";

    private final Instrumentation instrumentation;
    private final ListenerHookTransformer transformer;

    private ListenerHooks(Instrumentation instrumentation, ListenerHookTransformer transformer) {
        this.instrumentation = instrumentation;
        this.transformer = transformer;
    }

    /**
     * Publishes the queue and registers the transformer for classes loaded from now on; cheap enough for
     * {@code premain} (a handful of small classes, no class-file work). Hooked classes loaded already are left to
     * {@link #retransformLoaded()}.
     *
     * @param rewriter the thread that does the rewriting for a hooked class another thread loads, by
     *                 retransforming it later ({@link LateHookRequest}, queued as an event: a rewriter not
     *                 started yet is started by the queue, {@link EventQueue#startAtFirstItem}). Null rewrites at
     *                 once on the loading thread, so that even the first bind is seen with its stack.
     * @param prepatched the classes {@link #prepatchJdkClasses} patched as they loaded: they carry their hooks already
     *                 (empty when it did not run)
     */
    public static ListenerHooks register(
            Instrumentation instrumentation, Queue<Object> events, Thread rewriter, Set<String> prepatched) {
        publish(events);
        LateHookRequest.class.getName();
        ListenerHookTransformer transformer = rewriter != null
                ? new ListenerHookTransformer(QUEUE_KEY, new LateHookToQueue(events), rewriter)
                : new ListenerHookTransformer(QUEUE_KEY);
        transformer.markTransformed(prepatched);
        instrumentation.addTransformer(transformer, true);
        return new ListenerHooks(instrumentation, transformer);
    }

    /**
     * Puts the queue where the inserted code finds it, and loads what the transformer touches for a class it
     * leaves alone. <b>Important:</b> every such class must be loaded before a transformer is registered; loading
     * one inside transform() would re-enter the transformer for that very class and define it twice (LinkageError).
     */
    private static void publish(Queue<Object> events) {
        HookEvents.publish(events);
        HookPoints.isTargetClass("java/lang/Object");
        if (!HookEvents.ON_BOOT_PATH) {
            // every hook then reaches the agent through the system class loader: its sink is looked up (a class load
            // and a reflective call) here, not inside the first transformation
            HookEventSink.reachableFromSystemLoader();
        }
    }

    /**
     * Loads the JDK's hooked classes that nearly every server uses ({@link HookPoints#PREPATCHED}) on this thread
     * (premain's, before the application's main), patched as they load: they then never need a retransformation,
     * the safepoint operation whose fixed part walks every class and every compiled method of the JVM (~3 ms of
     * the VM thread in a small application, more in a large one), and the scan of the loaded classes for hooked
     * ones can skip the boot loader's (docs/architecture.md, "Start-up path"). The transformer is in only while
     * they load: every class loaded meanwhile by another thread passes through it, and it is the registered
     * transformer that makes each class load cost more (see {@code StartupWatch}).
     *
     * <p>A hooked class that another thread loads at the same moment, or that was loaded already, is left as it
     * is: the runtime retransforms it as before. Loading a class does not initialise it; one the application never
     * uses (an asynchronous server channel, say) costs its load and its patching, a fraction of a millisecond.
     *
     * @return the internal names of the classes patched here; the hooks in them report to {@code events} from now on
     */
    public static Set<String> prepatchJdkClasses(Instrumentation instrumentation, Queue<Object> events) {
        publish(events);
        ListenerHookTransformer transformer =
                new ListenerHookTransformer(QUEUE_KEY, LEAVE_TO_RUNTIME, Thread.currentThread());
        instrumentation.addTransformer(transformer, true);
        try {
            for (String name : HookPoints.PREPATCHED) {
                try {
                    Class.forName(name.replace('/', '.'), false, null);
                } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
                    // not in this JDK, not loadable, or refused (a security manager): the runtime's scan deals with it
                }
            }
        } finally {
            instrumentation.removeTransformer(transformer);
        }
        return transformer.transformedClasses();
    }

    /** For {@link #prepatchJdkClasses}: a class another thread loads meanwhile is found later by the runtime's scan. */
    private static final ListenerHookTransformer.LateHook LEAVE_TO_RUNTIME = new LeaveToRuntime();

    private static final class LeaveToRuntime implements ListenerHookTransformer.LateHook {
        @Override
        public void hookLater(String internalName, ClassLoader loader) {
            // nothing: the class stays unpatched until the runtime's retransformLoaded() hooks it
        }
    }

    /**
     * Whether a class with hooks is loaded already (before the hooks were registered: another agent opened a
     * listener in its {@code premain}, or the application loaded one during the start-up watch without
     * listening yet): then the runtime must start now, since the class will never load again.
     */
    public boolean targetLoaded() {
        return !loadedTargetsWithoutHooks().isEmpty();
    }

    /**
     * The loaded classes with hook points that do not carry their hooks yet. When the JDK classes every server
     * binds through were patched as they loaded ({@link #prepatchJdkClasses}), only the boot loader's abstract
     * classes are looked at (the JDK's other hooked class is one, {@link HookPoints#PREPATCHED}): a field read and the
     * modifiers turn the others away before their names are built, and they are most of the classes of an
     * application.
     */
    private List<Class<?>> loadedTargetsWithoutHooks() {
        Set<String> hooked = transformer.transformedClasses();
        boolean prepatched = hooked.containsAll(HookPoints.PREPATCHED);
        List<Class<?>> targets = new ArrayList<>();
        // One loop body with no helper of ours called per class: it runs for every loaded class, enough calls to
        // make a helper hot for the JIT in a cold JVM. No class literal of a hooked class here either: resolving one
        // would load it, which the transformer would see.
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            int modifiers = type.getModifiers();
            // Every hooked class is a class that can be extended (no interface, no final class, no array: an array
            // class's modifiers say final). The others are skipped on their modifiers before getName(), which builds
            // and interns the name of a class that never had it asked for: more than half of the ~1,500 classes of
            // a small app are skipped so.
            if ((modifiers & (Modifier.INTERFACE | Modifier.FINAL)) != 0
                    || (prepatched && (modifiers & Modifier.ABSTRACT) == 0 && type.getClassLoader() == null)) {
                continue;
            }
            String name = type.getName();
            // cheap pre-test before building the internal name
            if (!HookPoints.mayBeTarget(name)) {
                continue;
            }
            String internalName = name.replace('.', '/');
            if (HookPoints.isTargetClass(internalName)
                    && !hooked.contains(internalName)
                    && instrumentation.isModifiableClass(type)) {
                targets.add(type);
            }
        }
        return targets;
    }

    /**
     * Hooks the target classes that were loaded before the transformer was registered.
     *
     * @return whether there were any: binds made through them before now are only found by a catch-up
     */
    public boolean retransformLoaded() {
        List<Class<?>> targets = loadedTargetsWithoutHooks();
        List<Class<?>> linked = new ArrayList<>();
        for (Class<?> target : targets) {
            try {
                ensureLinked(target);
                linked.add(target);
            } catch (RuntimeException | LinkageError e) {
                transformer.recordFailure(target.getName() + ": " + e);
            }
        }
        if (linked.isEmpty()) {
            return !targets.isEmpty();
        }
        // All in one call: each retransformation is a safepoint operation whose fixed part walks every loaded class
        // (vtables, constant-pool caches) and every thread's stack, whatever the number of classes redefined.
        try {
            instrumentation.retransformClasses(linked.toArray(new Class<?>[0]));
        } catch (UnmodifiableClassException | RuntimeException | LinkageError batch) {
            // the JVM redefines all or none: one class at a time, so the others get their hooks and the failure
            // names its class
            for (Class<?> target : linked) {
                try {
                    instrumentation.retransformClasses(target);
                } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
                    transformer.recordFailure(target.getName() + ": " + e);
                }
            }
        }
        return true;
    }

    /**
     * Queues a hooked class loaded by the application for the rewriting thread; the queue starts that thread if it
     * is not running yet (a named class, not a lambda: it is created on the start-up path, where a lambda costs a
     * cold JVM a spun class and method-handle forms).
     */
    private static final class LateHookToQueue implements ListenerHookTransformer.LateHook {
        private final Queue<Object> events;

        LateHookToQueue(Queue<Object> events) {
            this.events = events;
        }

        @Override
        public void hookLater(String internalName, ClassLoader loader) {
            events.offer(new LateHookRequest(internalName, loader));
        }
    }

    /**
     * Hooks a class the application loaded after the transformer was in (see {@link LateHookRequest}).
     * Runs on the agent's thread, the one that installed the hooks.
     */
    public void hookLate(LateHookRequest request) {
        try {
            Class<?> type = Class.forName(request.internalName().replace('/', '.'), false, request.loader());
            if (instrumentation.isModifiableClass(type)) {
                ensureLinked(type);
                instrumentation.retransformClasses(type);
            }
        } catch (ClassNotFoundException | UnmodifiableClassException | RuntimeException | LinkageError e) {
            transformer.recordFailure(request.internalName() + ": " + e);
        }
    }

    /**
     * Waits until the class is linked, without initialising it. <b>Important:</b> a class the application has
     * just loaded may be linked by its thread at this very moment, and retransforming a class while the JVM
     * rewrites its bytecodes hands the transformer corrupt bytes (JDK-8277444, fixed only in recent updates):
     * for a {@code java.*} class, which is not verified, that crashes the JVM. The reflective field lookup
     * links the class first, under the class's init lock, so it waits for a link in progress.
     */
    private static void ensureLinked(Class<?> type) {
        type.getDeclaredFields();
    }

    /** Internal names of the classes that carry hooks now. */
    public Set<String> hookedClasses() {
        return transformer.transformedClasses();
    }

    /** Hooked classes the patcher left to ASM, with its reason, for the debug log. */
    public Set<String> asmRewritten() {
        return transformer.asmRewritten();
    }

    /** Classes that could not be hooked, with the reason, for one log line. */
    public Set<String> failures() {
        return transformer.failures();
    }

    /**
     * Stops reporting: the queue is withdrawn (inserted code then drops its events, or puts them into a throw-away
     * deque) and the transformer is removed. Already transformed classes keep their harmless code.
     */
    public void uninstall() {
        HookEvents.withdraw(QUEUE_KEY);
        instrumentation.removeTransformer(transformer);
    }
}
