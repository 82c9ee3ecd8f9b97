package io.autoreg.agent;

import io.autoreg.agent.hook.EventQueue;
import io.autoreg.agent.hook.ListenerHooks;
import io.autoreg.agent.listen.ProcNetListeners;

import java.lang.instrument.Instrumentation;
import java.util.Set;

/**
 * The agent's entry point ({@code Premain-Class} and {@code Agent-Class}): a trampoline.
 *
 * <p>It decides in about a millisecond whether to do anything at all (kill switch, JDK tools that inherit
 * {@code JAVA_TOOL_OPTIONS}), notes the sockets the JVM already has, registers the hooks' class file
 * transformer (a few small classes, no ASM) and returns. The daemon thread {@code autoreg-agent} is started
 * by the first hooked class the application loads (so a JVM that never listens never runs it); everything
 * else — the ASM rewriting, settings, HTTP, the first registration — happens there, a moment later, so the
 * host application starts as if the agent were not there. <b>Important:</b> nothing here may throw into the JVM: a failing
 * {@code premain} aborts the host application's start.
 */
public final class AutoregAgent {

    /** Bounded: a pathological app binding in a loop can never make the agent hold unbounded memory. */
    private static final int QUEUE_CAPACITY = 4096;

    /** Creates the runtime on the agent's thread: its classes are loaded (and verified) there, not in premain. */
    private static final class DeferredRuntime implements Runnable {
        private final AgentArguments arguments;
        private final Instrumentation instrumentation;
        private final boolean attached;
        private final Set<String> preexisting;
        private final EventQueue queue;
        private volatile ListenerHooks hooks;

        DeferredRuntime(AgentArguments arguments, Instrumentation instrumentation, boolean attached, Set<String> preexisting,
                        EventQueue queue) {
            this.arguments = arguments;
            this.instrumentation = instrumentation;
            this.attached = attached;
            this.preexisting = preexisting;
            this.queue = queue;
        }

        @Override
        public void run() {
            new AgentRuntime(arguments, instrumentation, attached, preexisting, queue, hooks).run();
        }
    }

    private AutoregAgent() {
    }

    public static void premain(String args, Instrumentation instrumentation) {
        start(args, instrumentation, false);
    }

    /** Loaded into a running JVM ({@code attach}): the listeners already exist and are found by the catch-up. */
    public static void agentmain(String args, Instrumentation instrumentation) {
        start(args, instrumentation, true);
    }

    private static void start(String args, Instrumentation instrumentation, boolean attached) {
        try {
            AgentArguments arguments = AgentArguments.parse(args);
            if (StartupGuard.shouldStayOff(arguments, System.getenv())) {
                return;
            }
            // Before main runs, any listener belongs to the JVM itself (JMX/RMI, the debugger): remember
            // those sockets (a short look at /proc/self/fd; nothing more when there are no sockets yet).
            Set<String> preexisting = attached ? Set.of() : ProcNetListeners.ofThisProcess().socketInodes();
            EventQueue queue = new EventQueue(QUEUE_CAPACITY);
            DeferredRuntime runtime = new DeferredRuntime(arguments, instrumentation, attached, preexisting, queue);
            Thread thread = new Thread(runtime, "autoreg-agent");
            thread.setDaemon(true);
            if (attached) {
                thread.start();     // registers the hooks itself, then catches up on the listeners that exist
                return;
            }
            // The JMX connector and its RMI server open right after premain: their binds are rewritten at once on
            // the loading thread, so that they are seen with their stack and recognised as the JVM's own.
            boolean jmx = System.getProperty("com.sun.management.jmxremote.port") != null;
            runtime.hooks = ListenerHooks.register(instrumentation, queue, jmx ? null : thread);
            if (jmx) {
                thread.start();
            } else if (runtime.hooks.jdkTargetLoaded()) {
                runtime.hooks.startRewriter();
            }
            // otherwise the first hooked class the application loads starts it (ListenerHooks)
        } catch (Throwable t) {
            System.err.println("[autoreg] agent not started, the application runs without registration: " + t);
        }
    }
}
