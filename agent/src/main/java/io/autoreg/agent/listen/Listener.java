package io.autoreg.agent.listen;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A TCP listener of this process.
 *
 * @param address     the bound address (wildcard, loopback or a specific interface) and the real port
 * @param jdkInternal whether the JDK itself opened it for its own use (JMX, RMI, the debugger)
 */
public record Listener(InetSocketAddress address, boolean jdkInternal) {

    public int port() {
        return address.getPort();
    }

    public InetAddress host() {
        return address.getAddress();
    }

    public boolean isWildcard() {
        return host() == null || host().isAnyLocalAddress();
    }

    public boolean isLoopback() {
        return host() != null && host().isLoopbackAddress();
    }

    public boolean isLinkLocal() {
        return host() != null && host().isLinkLocalAddress();
    }
}
