package io.autoreg.agent.listen;

import java.util.HashSet;
import java.util.Set;

/**
 * Recognises listeners the JDK opens for itself: the JMX connector and its RMI registry, other RMI
 * exports, and the debugger (JDWP binds in native code, so only the catch-up ever sees it).
 */
final class JdkInternalListeners {

    private static final String[] INTERNAL_FRAME_PREFIXES = {
        "sun.rmi.",
        "java.rmi.",
        "jdk.internal.agent.",
        "sun.management.",
        "jdk.management.agent.",
        "com.sun.jmx.remote.",
        "javax.management.remote.",
    };

    private JdkInternalListeners() {}

    /** Whether the stack captured at bind time shows the JDK's management or RMI code opening the socket. */
    static boolean openedByJdk(Throwable bindStack) {
        if (bindStack == null) {
            return false;
        }
        for (StackTraceElement frame : bindStack.getStackTrace()) {
            for (String prefix : INTERNAL_FRAME_PREFIXES) {
                if (frame.getClassName().startsWith(prefix)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Ports configured for JMX and the debugger, for listeners found without a stack (the catch-up). */
    static Set<Integer> configuredPorts(String commandLine) {
        Set<Integer> ports = new HashSet<>();
        addPort(ports, System.getProperty("com.sun.management.jmxremote.port"));
        addPort(ports, System.getProperty("com.sun.management.jmxremote.rmi.port"));
        if (commandLine != null) {
            for (String argument : commandLine.split("\0")) {
                if (argument.startsWith("-agentlib:jdwp=") || argument.startsWith("-Xrunjdwp:")) {
                    for (String option : argument.substring(argument.indexOf(argument.startsWith("-X") ? ':' : '=') + 1)
                            .split(",")) {
                        if (option.startsWith("address=")) {
                            String address = option.substring("address=".length());
                            addPort(ports, address.substring(address.lastIndexOf(':') + 1));
                        }
                    }
                }
            }
        }
        return ports;
    }

    private static void addPort(Set<Integer> ports, String value) {
        if (value == null) {
            return;
        }
        try {
            ports.add(Integer.parseInt(value.trim()));
        } catch (NumberFormatException ignored) {
            // not a port: nothing to exclude
        }
    }
}
