package io.autoreg.agent;

import io.autoreg.agent.listen.ProcNetListeners;

import java.lang.instrument.Instrumentation;
import java.util.Set;

/**
 * The agent's entry point ({@code Premain-Class} and {@code Agent-Class}): a trampoline.
 *
 * <p>It decides in microseconds whether to do anything at all (kill switch, JDK tools that inherit
 * {@code JAVA_TOOL_OPTIONS}), registers the hooks' class file transformer (a few small classes, no ASM: from
 * then on no hooked class loads unseen), starts one daemon thread and returns. Everything else — the ASM
 * rewriting, settings, HTTP, the first registration — happens on that thread, so the host application starts as if the
 * agent were not there. <b>Important:</b> nothing here may throw into the JVM: a failing
 * {@code premain} aborts the host application's start.
 */
public final class AutoregAgent {

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
            AgentRuntime runtime = new AgentRuntime(arguments, instrumentation, attached, preexisting);
            Thread thread = new Thread(runtime, "autoreg-agent");
            thread.setDaemon(true);
            runtime.registerHooks(thread, !attached && System.getProperty("com.sun.management.jmxremote.port") != null);
            thread.start();
        } catch (Throwable t) {
            System.err.println("[autoreg] agent not started, the application runs without registration: " + t);
        }
    }
}
