package io.autoreg.agent.hook;

import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;

/**
 * Installs the bind/close hooks and connects them to the agent's event queue.
 *
 * <p>The queue is a plain {@link java.util.concurrent.BlockingQueue} stored in
 * {@link System#getProperties()} under a private key: a bootstrap-visible place that needs no bridge
 * class on the boot class path. The inserted code only {@code offer}s an {@code Object[]} event to
 * it, so no agent code ever runs on the application's bind path.
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
     * Publishes the queue, registers the transformer for classes loaded from now on, and retransforms
     * the hooked classes that are already loaded. Binds that happened before this returns are not
     * seen; the caller catches up on them from the process's own listening sockets.
     */
    public static ListenerHooks install(Instrumentation instrumentation, Queue<Object> events) {
        return install(instrumentation, events, true);
    }

    /**
     * @param rewriteOnAgentThread whether a hooked class loaded by another thread is left for the agent's
     *                             thread ({@link LateHookRequest}); false rewrites it at once on the loading
     *                             thread, so that even its first bind is seen with its stack
     */
    public static ListenerHooks install(Instrumentation instrumentation, Queue<Object> events, boolean rewriteOnAgentThread) {
        System.getProperties().put(QUEUE_KEY, events);
        // Important: every class transform() touches for a non-target class must be loaded before the
        // transformer is registered; loading one of them inside transform() would re-enter the
        // transformer for that very class and define it twice (LinkageError).
        HookPoints.isTargetClass("java/lang/Object");
        LateHookRequest.class.getName();
        ListenerHookTransformer transformer = rewriteOnAgentThread
                ? new ListenerHookTransformer(QUEUE_KEY, (name, loader) -> events.offer(new LateHookRequest(name, loader)),
                        Thread.currentThread())
                : new ListenerHookTransformer(QUEUE_KEY);
        instrumentation.addTransformer(transformer, true);
        ListenerHooks hooks = new ListenerHooks(instrumentation, transformer);
        hooks.retransformLoaded();
        return hooks;
    }

    private void retransformLoaded() {
        List<Class<?>> targets = new ArrayList<>();
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            String name = type.getName();
            // cheap pre-test before building the internal name of every loaded class
            if ((name.endsWith("Channel") || name.endsWith("ChannelImpl") || name.endsWith("ServerSocket"))
                    && HookPoints.isTargetClass(name.replace('.', '/'))
                    && !transformer.transformedClasses().contains(name.replace('.', '/'))
                    && instrumentation.isModifiableClass(type)) {
                targets.add(type);
            }
        }
        for (Class<?> target : targets) {
            try {
                instrumentation.retransformClasses(target);
            } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
                transformer.recordFailure(target.getName() + ": " + e);
            }
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
                instrumentation.retransformClasses(type);
            }
        } catch (ClassNotFoundException | UnmodifiableClassException | RuntimeException | LinkageError e) {
            transformer.recordFailure(request.internalName() + ": " + e);
        }
    }

    /** Internal names of the classes that carry hooks now. */
    public Set<String> hookedClasses() {
        return transformer.transformedClasses();
    }

    /** Classes that could not be hooked, with the reason, for one log line. */
    public Set<String> failures() {
        return transformer.failures();
    }

    /**
     * Stops reporting: the queue is withdrawn (inserted code then drops its events into a throw-away
     * deque) and the transformer is removed. Already transformed classes keep their harmless code.
     */
    public void uninstall() {
        System.getProperties().remove(QUEUE_KEY);
        instrumentation.removeTransformer(transformer);
    }
}
