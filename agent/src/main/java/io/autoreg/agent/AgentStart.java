package io.autoreg.agent;

import io.autoreg.agent.hook.EventQueue;
import io.autoreg.agent.hook.ListenerHooks;

import java.lang.instrument.Instrumentation;
import java.util.Set;

/**
 * What {@code premain} (or {@code agentmain}) decided, handed to whichever thread starts the agent's runtime:
 * the {@link StartupWatch} when it sees the first listener, the hooks when a hooked class loads, or
 * {@code premain} itself. Named classes, no lambdas: each lambda on the start-up path costs a cold JVM a spun
 * class and method-handle forms (see the comment in {@link AgentRuntime}).
 */
final class AgentStart {

    static final String RUNTIME_THREAD = "autoreg-agent";

    private final AgentArguments arguments;
    private final Instrumentation instrumentation;
    private final Set<String> preexisting;
    private final EventQueue queue;

    /**
     * @param preexisting socket inodes present at {@code premain} (JVM-internal listeners); empty when attached
     */
    AgentStart(AgentArguments arguments, Instrumentation instrumentation, Set<String> preexisting, EventQueue queue) {
        this.arguments = arguments;
        this.instrumentation = instrumentation;
        this.preexisting = preexisting;
        this.queue = queue;
    }

    /** Starts the runtime now; it registers the hooks itself. */
    void runtimeNow(AgentRuntime.Start start) {
        runtimeThread(new DeferredRuntime(this, start)).start();
    }

    /**
     * Registers the hooks now; the runtime thread is started by the first hooked class the application loads
     * from now on, or at once if one is loaded already.
     *
     * @param rewriteOnLoadingThread rewrite hooked classes at once on the thread that loads them, and start the
     *                               runtime now: for listeners the JVM opens right after {@code premain} (JMX),
     *                               which must be seen with their stack to be recognised as the JVM's own
     */
    void hooksNow(boolean rewriteOnLoadingThread) {
        DeferredRuntime runtime = new DeferredRuntime(this, AgentRuntime.Start.HOOKED_CLASS_LOADED);
        Thread thread = runtimeThread(runtime);
        runtime.hooks = ListenerHooks.register(instrumentation, queue, rewriteOnLoadingThread ? null : thread);
        if (rewriteOnLoadingThread) {
            thread.start();
        } else if (runtime.hooks.targetLoaded()) {
            runtime.hooks.startRewriter();
        }
    }

    private static Thread runtimeThread(Runnable runtime) {
        Thread thread = new Thread(runtime, RUNTIME_THREAD);
        thread.setDaemon(true);
        return thread;
    }

    /** Creates the runtime on its own thread: its classes are loaded (and verified) there, not by the caller. */
    private static final class DeferredRuntime implements Runnable {
        private final AgentStart start;
        private final AgentRuntime.Start how;
        private volatile ListenerHooks hooks;

        DeferredRuntime(AgentStart start, AgentRuntime.Start how) {
            this.start = start;
            this.how = how;
        }

        @Override
        public void run() {
            new AgentRuntime(start.arguments, start.instrumentation, how, start.preexisting, start.queue, hooks).run();
        }
    }
}
