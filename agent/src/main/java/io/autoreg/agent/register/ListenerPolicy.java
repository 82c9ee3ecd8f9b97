package io.autoreg.agent.register;

import io.autoreg.agent.listen.Listener;

/** Which listeners get registered, per {@link AgentSettings}. */
final class ListenerPolicy {

    private final AgentSettings settings;

    ListenerPolicy(AgentSettings settings) {
        this.settings = settings;
    }

    /** Null when the listener is registered, else why not (for a debug line). */
    String skipReason(Listener listener) {
        int port = listener.port();
        if (!settings.includePorts().isEmpty() && !settings.includePorts().contains(port)) {
            return "not in autoreg.agent.ports.include";
        }
        if (settings.excludePorts().contains(port)) {
            return "in autoreg.agent.ports.exclude";
        }
        if (listener.jdkInternal() && !settings.includeJdkInternal()) {
            return "opened by the JDK (JMX, RMI or the debugger)";
        }
        if (listener.isLoopback() && !settings.includeLoopback()) {
            return "bound to loopback only";
        }
        if (listener.isLinkLocal() && !settings.includeLinkLocal()) {
            return "bound to a link-local address";
        }
        return null;
    }
}
