package io.autoreg.agent.hook;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A plain {@link ClassFileTransformer}: it rewrites only the few hooked classes and returns {@code null} (no
 * change) for every other class after one string test, so it costs the host nothing per class load. Byte
 * Buddy's {@code AgentBuilder} would cost ~250 ms of CPU and ~40 MiB (docs/benchmarks.md, "What the
 * dependencies cost").
 *
 * <p>A hooked class is patched by {@link ReturnHookPatcher} (JDK types only); only a class it does not
 * handle is rewritten with the ASM bundled with Byte Buddy ({@link HookRewriter}, kept in its own class so
 * that this one's verification loads no ASM class). <b>Important:</b> a transformer must never throw; a
 * failure leaves the class unchanged and is remembered for the log.
 */
final class ListenerHookTransformer implements ClassFileTransformer {

    /** Told about a hooked class that the application just loaded, so that the agent hooks it on its own thread. */
    interface LateHook {
        void hookLater(String internalName, ClassLoader loader);
    }

    private final String queueKey;
    private final LateHook lateHook;
    private final Thread rewriter;
    private final Set<String> transformed = ConcurrentHashMap.newKeySet();
    private final Set<String> failures = ConcurrentHashMap.newKeySet();
    private final Set<String> asmRewritten = ConcurrentHashMap.newKeySet();

    /** Rewrites at once, whichever thread loads the class (tests). */
    ListenerHookTransformer(String queueKey) {
        this(queueKey, null, null);
    }

    /**
     * @param lateHook told instead of rewriting when a thread other than {@code rewriter} loads a hooked
     *                 class: the rewrite (a 50 KB class to patch) then happens on the agent's thread by
     *                 retransformation, never on the application's start-up path. A bind in between is
     *                 found by the catch-up that follows.
     * @param rewriter the agent's thread
     */
    ListenerHookTransformer(String queueKey, LateHook lateHook, Thread rewriter) {
        this.queueKey = queueKey;
        this.lateHook = lateHook;
        this.rewriter = rewriter;
    }

    @Override
    public byte[] transform(
            ClassLoader loader,
            String className,
            Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain,
            byte[] classfileBuffer) {
        if (className == null || className.startsWith("io/autoreg/") || !HookPoints.isTargetClass(className)) {
            return null;
        }
        try {
            if (classBeingRedefined == null && lateHook != null && Thread.currentThread() != rewriter) {
                lateHook.hookLater(className, loader);
                return null;
            }
            byte[] result = rewrite(className, classfileBuffer, HookRoute.of(loader));
            if (result != null) {
                transformed.add(className);
            }
            return result;
        } catch (Throwable t) {
            failures.add(className + ": " + t);
            return null;
        }
    }

    /**
     * Returns the rewritten class, or null when none of its methods is a hook point: patched without ASM,
     * or by ASM when the patcher does not handle the class.
     *
     * @param route how its hooks reach the agent's queue; the queue is put into the system properties only for the
     *              route that looks there
     */
    byte[] rewrite(String className, byte[] classfile, HookRoute route) {
        if (route == HookRoute.SYSTEM_PROPERTIES) {
            HookEvents.publishInSystemProperties(queueKey);
        }
        try {
            return ReturnHookPatcher.patch(className, classfile, queueKey, route, HookPoints.MATCHER);
        } catch (UnpatchableClassException e) {
            asmRewritten.add(className + ": " + e.getMessage());
            return HookRewriter.rewrite(className, classfile, queueKey, route);
        }
    }

    /** Classes the patcher left to ASM, with its reason (for the debug log). */
    Set<String> asmRewritten() {
        return Set.copyOf(asmRewritten);
    }

    Set<String> transformedClasses() {
        return Set.copyOf(transformed);
    }

    Set<String> failures() {
        return Set.copyOf(failures);
    }

    /** Classes that carry their hooks already, patched by another transformer of the agent's as they loaded. */
    void markTransformed(Set<String> internalNames) {
        transformed.addAll(internalNames);
    }

    void recordFailure(String failure) {
        failures.add(failure);
    }
}
