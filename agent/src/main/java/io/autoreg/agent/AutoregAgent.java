package io.autoreg.agent;

import io.autoreg.agent.hook.EventQueue;
import io.autoreg.agent.listen.NewListenerPoll;
import io.autoreg.agent.listen.ProcNetListeners;
import io.autoreg.agent.lite.LiteEnvironment;
import java.lang.instrument.Instrumentation;
import java.util.Set;

/**
 * The agent's entry point ({@code Premain-Class} and {@code Agent-Class}): a trampoline.
 *
 * <p>It decides in about a millisecond whether to do anything at all (kill switch, JDK tools that inherit
 * {@code JAVA_TOOL_OPTIONS}), notes the sockets the JVM already has, starts the agent's one daemon thread
 * {@code autoreg-agent} with the {@link StartupWatch} (which looks for the application's first listener in
 * {@code /proc}, with no hook registered while the application starts) and returns. The runtime starts on that
 * thread when the application first listens, so a JVM that never listens never runs it; everything else — the
 * hooks and their patching, settings, HTTP, the first registration — happens there, a moment later, so the host
 * application starts as if the agent were not there. <b>Important:</b> nothing here may throw into the JVM: a
 * failing {@code premain} aborts the host application's start.
 *
 * <p>The JVM loads this class, and every agent class after it, from the boot loader when the jar keeps its name
 * ({@code Boot-Class-Path} in the manifest, docs/architecture.md "Start-up path"), else from the system class
 * loader; nothing here depends on which.
 */
public final class AutoregAgent {

    /** Bounded: a pathological app binding in a loop can never make the agent hold unbounded memory. */
    private static final int QUEUE_CAPACITY = 4096;

    /**
     * Whether an autoreg agent already started in this JVM. Given twice — {@code JAVA_TOOL_OPTIONS} from an injection
     * and the image's own {@code -javaagent}, or an {@code attach} to a JVM that has it — both calls land here, even
     * from two copies of the jar: the JVM loads each agent class through the system class loader, which answers the
     * class it (or, through it, the boot loader) loaded first. Two runtimes registered the same id, and the second then
     * retried for good ("still registered"). A second start after a first that stayed off (a bad setting) is ignored
     * as well: the first one's hooks are in place, and the fix is the setting, then a restart. Guarded by the class's
     * lock, not an {@code AtomicBoolean}: its {@code VarHandle} would be the first in many a JVM, and cost
     * {@code premain} its set-up.
     */
    private static boolean claimed;

    private AutoregAgent() {}

    public static void premain(String args, Instrumentation instrumentation) {
        start(args, instrumentation, false);
    }

    /** Loaded into a running JVM ({@code attach}): the listeners already exist and are found by the catch-up. */
    public static void agentmain(String args, Instrumentation instrumentation) {
        start(args, instrumentation, true);
    }

    private static synchronized boolean claim() {
        if (claimed) {
            return false;
        }
        claimed = true;
        return true;
    }

    private static void start(String args, Instrumentation instrumentation, boolean attached) {
        if (!claim()) {
            System.err.println(
                    "[autoreg] the agent is already loaded in this JVM: this " + (attached ? "attach" : "-javaagent")
                            + " is ignored, with its arguments (is it given twice, or also in JAVA_TOOL_OPTIONS?)");
            return;
        }
        try {
            AgentArguments arguments = AgentArguments.parse(args);
            if (StartupGuard.shouldStayOff(arguments, LiteEnvironment.variables())) {
                return;
            }
            EventQueue queue = new EventQueue(QUEUE_CAPACITY);
            if (attached) {
                // the listeners exist already: the runtime registers the hooks and catches up on them
                new AgentStart(arguments, instrumentation, Set.of(), queue).runtimeNow(AgentRuntime.Start.ATTACHED);
                return;
            }
            // Before main runs, any listener belongs to the JVM itself (JMX/RMI, the debugger, another agent):
            // remember those sockets (a short look at /proc/self/fd; nothing more when there are no sockets yet).
            Set<String> preexisting = ProcNetListeners.ofThisProcess().socketInodes();
            AgentStart start = new AgentStart(arguments, instrumentation, preexisting, queue);
            // The JMX connector and its RMI server open right after premain: their binds are hooked at once, so
            // that they are seen with their stack and recognised as the JVM's own.
            boolean jmx = System.getProperty("com.sun.management.jmxremote.port") != null;
            NewListenerPoll poll = NewListenerPoll.ofThisProcess(preexisting);
            if (jmx || !poll.available()) {
                start.hooksNow(jmx);
                return;
            }
            // Patched here, before main, rather than by the watch's first look on the agent's thread: the window in
            // which the transformer is registered then ends before the application loads its first class, where on
            // the agent's thread every class main loaded meanwhile went through the class-file-load hook too.
            start.prepatch();
            start.watch(new StartupWatch(poll, start, StartupWatch.windowFromProperty()));
        } catch (Throwable t) {
            System.err.println("[autoreg] agent not started, the application runs without registration: " + t);
        }
    }
}
