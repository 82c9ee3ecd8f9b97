package io.autoreg.agent.attach;

import com.sun.tools.attach.VirtualMachine;
import io.autoreg.agent.AgentVersion;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code java -jar autoreg-agent.jar attach <pid> [key=value…]}: loads the agent into a running JVM,
 * which then registers the listeners it already has. Needs a JDK (the {@code jdk.attach} module) and
 * the same user as the target process. {@code java -jar autoreg-agent.jar --version} prints the release.
 */
public final class AttachMain {

    private AttachMain() {}

    static final String USAGE = "usage: java -jar autoreg-agent.jar attach <pid> [key=value ...] | --version | --help";

    private static final String HELP = USAGE + "\n\n"
            + "Loads the autoreg agent into the running JVM <pid> (a JDK's java, the same user as the target), which\n"
            + "then registers the listeners it has. key=value pairs are the agent's arguments, keys relative to\n"
            + "autoreg. (registry.url=http://127.0.0.1:8870/v1.0/default service.name=orders); as at start-up,\n"
            + "-javaagent:autoreg-agent.jar=key=value,... Settings: docs/settings.md.\n"
            + "Exit: 0 loaded (or already loaded: nothing done), 1 could not attach or load, 2 usage.";

    public static void main(String[] args) {
        int code = run(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** What {@link #main} does, returning the exit code instead of exiting (tests). */
    static int run(String[] args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            System.out.println(AgentVersion.line());
            return 0;
        }
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help"))) {
            System.out.println(HELP);
            return 0;
        }
        if (args.length < 2 || !args[0].equals("attach")) {
            System.err.println(USAGE);
            return 2;
        }
        String pid = args[1];
        if (!isProcessId(pid)) {
            System.err.println("autoreg: the pid must be a process id, a whole number above 0; was '" + pid + "'");
            System.err.println(USAGE);
            return 2;
        }
        String agentArguments = String.join(",", Arrays.asList(args).subList(2, args.length));
        String loaded = LoadedAgentJar.in(Path.of("/proc", pid));
        if (loaded != null) {
            // the agent would ignore a second load, and say so on the application's stderr only
            System.out.println("autoreg agent already loaded in " + pid + " (" + loaded + "): nothing done"
                    + (agentArguments.isEmpty()
                            ? ""
                            : "; the arguments given here are not applied (the agent keeps its settings until the"
                                    + " JVM restarts)"));
            return 0;
        }
        try {
            String jar = new File(AttachMain.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .getPath();
            VirtualMachine vm = VirtualMachine.attach(pid);
            String note;
            // loadAgent returns once agentmain has run: the JVM holds both jars open by then
            try (AttachLauncherJar launcher = AttachLauncherJar.beside(Path.of(jar))) {
                note = dynamicLoadingNote(vm);
                vm.loadAgent(launcher.path().toString(), agentArguments);
            } finally {
                vm.detach();
            }
            System.out.println("autoreg agent loaded into " + pid);
            if (note != null) {
                System.out.println(note);
            }
            return 0;
        } catch (URISyntaxException
                | RuntimeException
                | java.io.IOException
                | com.sun.tools.attach.AttachNotSupportedException
                | com.sun.tools.attach.AgentLoadException
                | com.sun.tools.attach.AgentInitializationException e) {
            System.err.println("autoreg: cannot attach to " + pid + ": " + e
                    + (e instanceof com.sun.tools.attach.AgentLoadException
                            ? " (or start it with -javaagent:autoreg-agent.jar)"
                            : ""));
            return 1;
        }
    }

    static boolean isProcessId(String pid) {
        try {
            return Long.parseLong(pid) > 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The note below for this target; a target that does not say what it runs gets none rather than no agent. */
    private static String dynamicLoadingNote(VirtualMachine vm) {
        try {
            return dynamicLoadingNote(
                    vm.getSystemProperties().getProperty("java.specification.version"),
                    vm.getAgentProperties().getProperty("sun.jvm.args"));
        } catch (java.io.IOException | RuntimeException notTold) {
            return null;
        }
    }

    /**
     * What the operator should know about the warning Java 21+ prints on the target's stderr when an agent is loaded
     * into it (JEP 451: "WARNING: A Java agent has been loaded dynamically …", four lines the agent cannot prevent),
     * or null when the target prints none (older, or started with {@code -XX:+EnableDynamicAgentLoading}).
     *
     * @param specificationVersion the target's {@code java.specification.version}
     * @param jvmArguments         the target's JVM options ({@code sun.jvm.args} of its agent properties), or null
     */
    static String dynamicLoadingNote(String specificationVersion, String jvmArguments) {
        int feature;
        try {
            feature = Integer.parseInt(specificationVersion.trim());
        } catch (NumberFormatException | NullPointerException e) {
            return null; // 1.8 and older, or not told
        }
        if (feature < 21 || (jvmArguments != null && jvmArguments.contains("-XX:+EnableDynamicAgentLoading"))) {
            return null;
        }
        return "note: Java " + feature + " printed a warning about a dynamically loaded agent on the application's"
                + " stderr (JEP 451); start it with -XX:+EnableDynamicAgentLoading to attach without one, or with"
                + " -javaagent:autoreg-agent.jar";
    }
}
