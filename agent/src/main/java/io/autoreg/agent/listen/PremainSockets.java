package io.autoreg.agent.listen;

import java.util.Set;

/**
 * The sockets this process had when {@code premain} ran. Before {@code main}, any listener belongs to the JVM itself
 * (the JMX connector and its RMI server, the debugger, another agent), so a listener among them is never the
 * application's.
 *
 * <p>{@code premain} only lists the descriptors ({@link ProcNetListeners#openDescriptors}: java.io, a few stats,
 * tens of microseconds); their links are read, and the socket inodes kept, the first time the agent's thread asks —
 * its first look at {@code /proc}, right after {@code premain} — off the application's start-up path (reading them
 * in {@code premain} cost the host's main thread ~0.7 ms: the links, and the exception for the descriptor that
 * listed the directory). What can change in between: a descriptor listed then closed, and its number reused by a
 * new socket before the links are read, would be taken for the JVM's. The descriptors a JVM has before {@code main}
 * (standard streams, the runtime image, the class path's jars, the debugger's socket) stay open, and a listener the
 * application opens through the JDK's classes reports itself through the hooks with its stack regardless.
 */
public final class PremainSockets {

    private final ProcNetListeners proc;
    private String[] descriptors;
    private Set<String> inodes;

    private PremainSockets(ProcNetListeners proc, String[] descriptors, Set<String> inodes) {
        this.proc = proc;
        this.descriptors = descriptors;
        this.inodes = inodes;
    }

    /** Lists this process's descriptors now (in {@code premain}); their links are read later. */
    public static PremainSockets noteNow(ProcNetListeners proc) {
        return new PremainSockets(proc, proc.openDescriptors(), null);
    }

    /** Known already: none when the agent is attached to a running JVM, or given in tests. */
    public static PremainSockets of(Set<String> inodes) {
        return new PremainSockets(null, null, Set.copyOf(inodes));
    }

    /** The socket inodes; the first call reads the links of the descriptors listed in {@code premain}. */
    public synchronized Set<String> inodes() {
        if (inodes == null) {
            inodes = Set.copyOf(proc.socketInodes(descriptors));
            descriptors = null;
        }
        return inodes;
    }
}
