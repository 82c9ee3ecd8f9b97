package io.autoreg.agent.listen;

import io.autoreg.agent.hook.EventKind;
import java.net.InetSocketAddress;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns raw hook events and catch-up findings into one open/close per port for the {@link ListenerSink}.
 * Confined to the agent's thread.
 *
 * <p>The same listener can be reported twice: a socket adaptor's bind delegating to its channel, a
 * bind that both the hooks and the catch-up saw, IPv4 and IPv6 sockets on one port. Listeners are
 * therefore keyed by port; a port closes when the last socket known on it closes. Sockets found by
 * the catch-up have no object to recognise their close by, so an unknown close makes the tracker
 * look at {@code /proc} again.
 */
public final class ListenerTracker {

    private final ListenerSink sink;
    private final ProcNetListeners proc;
    private final Set<Integer> jdkPorts;
    private final Map<Integer, Port> ports = new LinkedHashMap<>();
    private final Map<Object, Integer> owners = new IdentityHashMap<>();

    private final Set<String> preexistingSockets;

    public ListenerTracker(ListenerSink sink, ProcNetListeners proc) {
        this(sink, proc, Set.of());
    }

    /**
     * @param preexistingSockets socket inodes that existed when {@code premain} ran: the application's
     *                           {@code main} had not started yet, so a listener among them was opened by
     *                           the JVM itself (the JMX connector and its RMI server, the debugger)
     */
    public ListenerTracker(ListenerSink sink, ProcNetListeners proc, Set<String> preexistingSockets) {
        this.sink = sink;
        this.proc = proc;
        this.jdkPorts = JdkInternalListeners.configuredPorts(proc.commandLine());
        this.preexistingSockets = preexistingSockets;
    }

    /**
     * Handles one event array from the inserted code: {@code {"bind", source, Throwable}} or
     * {@code {"close", source}}. Anything else is ignored.
     */
    public void onHookEvent(Object[] event) {
        if (event == null || event.length < 2) {
            return;
        }
        EventKind kind = EventKind.fromWireName(event[0]);
        if (kind == EventKind.BIND) {
            InetSocketAddress address = BoundAddresses.of(event[1]);
            if (address != null) {
                Throwable stack = event.length > 2 && event[2] instanceof Throwable t ? t : null;
                bound(
                        event[1],
                        new Listener(
                                address,
                                JdkInternalListeners.openedByJdk(stack) || jdkPorts.contains(address.getPort())));
            }
        } else if (kind == EventKind.CLOSE) {
            closed(event[1]);
        }
    }

    /** Listeners that existed before the hooks were in (or before the agent was attached). */
    public void catchUp() {
        List<ProcNetListeners.Found> listening = new java.util.ArrayList<>(proc.listening());
        // The tables are in hash order; socket inodes are handed out increasingly, so they tell (as far
        // as the kernel's per-CPU batches allow) which listener came first: the "first eligible port".
        listening.sort(BY_INODE);
        for (ProcNetListeners.Found found : listening) {
            InetSocketAddress address = found.address();
            Port port = ports.get(address.getPort());
            if (port == null) {
                port = new Port(new Listener(
                        address, jdkPorts.contains(address.getPort()) || preexistingSockets.contains(found.inode())));
                port.unowned = true;
                ports.put(address.getPort(), port);
                sink.opened(port.listener);
            }
        }
    }

    private static final java.util.Comparator<ProcNetListeners.Found> BY_INODE = new java.util.Comparator<>() {
        @Override
        public int compare(ProcNetListeners.Found a, ProcNetListeners.Found b) {
            return Long.compare(inodeNumber(a.inode()), inodeNumber(b.inode()));
        }
    };

    private static long inodeNumber(String inode) {
        try {
            return Long.parseLong(inode);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Re-reads {@code /proc} and closes catch-up listeners that no longer listen. */
    public void reconcile() {
        Set<Integer> listening = new java.util.HashSet<>();
        for (ProcNetListeners.Found found : proc.listening()) {
            listening.add(found.address().getPort());
        }
        for (Port port : List.copyOf(ports.values())) {
            if (port.unowned && !listening.contains(port.listener.port())) {
                port.unowned = false;
                closeIfUnused(port);
            }
        }
    }

    /** Whether a close may concern a listener found by the catch-up (then {@link #reconcile()} is worth it). */
    public boolean hasUnownedListeners() {
        for (Port port : ports.values()) {
            if (port.unowned) {
                return true;
            }
        }
        return false;
    }

    private void bound(Object source, Listener listener) {
        if (owners.containsKey(source)) {
            return;
        }
        owners.put(source, listener.port());
        Port port = ports.get(listener.port());
        if (port != null) {
            // already known (catch-up, or another socket on the same port): the hook now owns it
            port.unowned = false;
            port.sockets++;
            return;
        }
        port = new Port(listener);
        port.sockets = 1;
        ports.put(listener.port(), port);
        sink.opened(listener);
    }

    /** Returns whether the source was a known listener. */
    private boolean closed(Object source) {
        Integer number = owners.remove(source);
        if (number == null) {
            return false;
        }
        Port port = ports.get(number);
        if (port != null) {
            port.sockets--;
            closeIfUnused(port);
        }
        return true;
    }

    /** Whether this close event concerned no socket the hooks had seen bound. */
    public boolean isUnknownClose(Object[] event) {
        return event != null
                && event.length >= 2
                && EventKind.fromWireName(event[0]) == EventKind.CLOSE
                && !owners.containsKey(event[1]);
    }

    private void closeIfUnused(Port port) {
        if (port.sockets <= 0 && !port.unowned) {
            ports.remove(port.listener.port());
            sink.closed(port.listener);
        }
    }

    private static final class Port {
        final Listener listener;
        int sockets;
        boolean unowned;

        Port(Listener listener) {
            this.listener = listener;
        }
    }
}
