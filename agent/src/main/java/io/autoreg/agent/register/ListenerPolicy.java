package io.autoreg.agent.register;

import io.autoreg.agent.listen.Listener;
import io.autoreg.core.internal.log.Log;

/** Which listeners get registered, per {@link AgentSettings}. */
final class ListenerPolicy {

    private final AgentSettings settings;

    ListenerPolicy(AgentSettings settings) {
        this.settings = settings;
    }

    /**
     * Null when the listener is registered, else why not and the setting that would register it. Said at info for
     * every listener left out ({@link #admits}): a service that listens on loopback only registers nothing, and an
     * operator who raises the log level to find out why must be told.
     */
    String skipReason(Listener listener) {
        int port = listener.port();
        if (!settings.includePorts().isEmpty() && !settings.includePorts().contains(port)) {
            return "not in autoreg.agent.ports.include " + settings.includePorts();
        }
        if (settings.excludePorts().contains(port)) {
            return "in autoreg.agent.ports.exclude " + settings.excludePorts();
        }
        if (listener.jdkInternal() && !settings.includeJdkInternal()) {
            return "opened by the JDK (JMX, RMI or the debugger; autoreg.agent.include-jdk-internal = true"
                    + " registers it)";
        }
        if (listener.isLoopback() && !settings.includeLoopback()) {
            return "bound to loopback only, unreachable from other hosts (autoreg.agent.include-loopback = true"
                    + " registers it)";
        }
        if (listener.isLinkLocal() && !settings.includeLinkLocal()) {
            return "bound to a link-local address (autoreg.agent.include-link-local = true registers it)";
        }
        return null;
    }

    /** Whether the listener is registered; one info line saying why when it is not. */
    boolean admits(Listener listener) {
        String skip = skipReason(listener);
        if (skip != null && Log.enabled(Log.Level.INFO)) {
            Log.info("not registering port " + listener.port() + ": " + skip);
        }
        return skip == null;
    }
}
