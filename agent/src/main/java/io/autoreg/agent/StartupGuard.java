package io.autoreg.agent;

import java.util.Map;

/**
 * The checks that run inside {@code premain} itself, so they must cost next to nothing: no settings
 * library, no I/O. A config file can also turn the agent off; that is seen later, when the settings
 * are read.
 */
final class StartupGuard {

    /** Launchers of JDK tools (javac, jcmd, jar, jshell, keytool, …) that inherit JAVA_TOOL_OPTIONS. */
    private static final String[] TOOL_MAIN_PREFIXES = {
        "com.sun.tools.",
        "sun.tools.",
        "jdk.internal.",
        "sun.security.tools.",
        "jdk.jshell.",
        "sun.rmi.registry.",
        "jdk.jfr.internal.tool.",
        "jdk.jpackage.",
        "com.sun.tools.javac."
    };

    private StartupGuard() {}

    static boolean shouldStayOff(AgentArguments arguments, Map<String, String> env) {
        return isDisabled(arguments.get("enabled"))
                || isDisabled(System.getProperty("autoreg.enabled"))
                || isDisabled(env.get("AUTOREG_ENABLED"))
                || isJdkTool(System.getProperty("jdk.module.main"), System.getProperty("sun.java.command"));
    }

    static boolean isDisabled(String value) {
        return value != null
                && (value.trim().equalsIgnoreCase("false")
                        || value.trim().equals("0")
                        || value.trim().equalsIgnoreCase("off")
                        || value.trim().equalsIgnoreCase("no"));
    }

    static boolean isJdkTool(String mainModule, String command) {
        if (mainModule != null && mainModule.startsWith("jdk.")) {
            return true;
        }
        if (command == null) {
            return false;
        }
        String main = command.trim();
        for (String prefix : TOOL_MAIN_PREFIXES) {
            if (main.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
