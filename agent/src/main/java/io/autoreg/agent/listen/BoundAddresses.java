package io.autoreg.agent.listen;

import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.ServerSocketChannel;

/**
 * Reads the bound address of a hooked object on the agent's thread (never on the bind path).
 * Returns null for anything that is not a TCP server socket bound to an IP address: UNIX-domain
 * channels, Netty client and datagram channels, a socket already closed again.
 */
final class BoundAddresses {

    private BoundAddresses() {}

    static InetSocketAddress of(Object source) {
        try {
            SocketAddress address;
            if (source instanceof ServerSocketChannel channel) {
                address = channel.getLocalAddress();
            } else if (source instanceof ServerSocket socket) {
                address = socket.getLocalSocketAddress();
            } else if (source instanceof AsynchronousServerSocketChannel channel) {
                address = channel.getLocalAddress();
            } else {
                address = nettyServerChannelAddress(source);
            }
            return address instanceof InetSocketAddress inet && inet.getPort() > 0 ? inet : null;
        } catch (Exception | LinkageError e) {
            return null;
        }
    }

    /** Netty native channels, under any (shaded) package: only server channels count. */
    private static SocketAddress nettyServerChannelAddress(Object channel) throws ReflectiveOperationException {
        if (channel == null || !implementsInterfaceNamed(channel.getClass(), ".channel.ServerChannel")) {
            return null;
        }
        Method localAddress = channel.getClass().getMethod("localAddress");
        localAddress.setAccessible(true);
        Object address = localAddress.invoke(channel);
        return address instanceof SocketAddress socketAddress ? socketAddress : null;
    }

    private static boolean implementsInterfaceNamed(Class<?> type, String suffix) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (i.getName().endsWith(suffix) || implementsInterfaceNamed(i, suffix)) {
                    return true;
                }
            }
        }
        return false;
    }
}
