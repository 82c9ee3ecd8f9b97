package io.autoreg.agent.listen;

import java.io.File;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * One cheap look for the application's first listener, used during the application's start, before any hook
 * is registered: has this process a listening socket it did not have at {@code premain}?
 *
 * <p>It looks at this process's own descriptors first ({@code /proc/self/fd}, a few dozen links while a JVM
 * starts) and reads the TCP tables only when a socket appeared there that it has not judged yet. The tables list
 * the whole network namespace — thousands of rows on a busy host (measured here: 2,300 rows, a few ms per
 * read in a cold JVM, and a C2 compilation of the scanning loop) — so reading them at every look was most of
 * the watch's cost (docs/benchmarks.md). A socket of ours seen in the tables in another state on
 * {@link #LOOKS_BEFORE_DISMISSED} looks (a client connection: a pool opened before the server starts) is not read
 * for again. A socket of ours with no row at all is looked for on every look: it may be a server channel opened
 * but not bound yet (Netty binds on its event loop, tens of ms later in a cold JVM, or much later when the
 * application does more first), which has no row until it listens — dismissing it missed Netty's and gRPC's
 * listeners until the watch window's end (issue 16, part 3). Not thread-safe: the agent's thread owns it.
 */
public final class NewListenerPoll {

    /** A connection stays one; a few looks leave margin for a row read while the socket changed state. */
    static final int LOOKS_BEFORE_DISMISSED = 3;
    /** Sockets remembered; cleared past this, so it stays bounded. */
    private static final int MAX_JUDGED = 4096;

    private final File procSelf;
    private final ProcNetListeners proc;
    private final Set<String> preexisting;
    /** Sockets of ours not listening: looks since they appeared, or since they were last seen without a row. */
    private final Map<String, Integer> notListening = new HashMap<>();

    /**
     * @param procSelf    {@code /proc/self}, or a copy of its layout in tests
     * @param preexisting socket inodes this process had at {@code premain} (the JVM's own listeners)
     */
    public NewListenerPoll(File procSelf, Set<String> preexisting) {
        this.procSelf = procSelf;
        this.proc = new ProcNetListeners(procSelf.toPath());
        this.preexisting = preexisting;
    }

    /** For this process: {@code /proc/self}. */
    public static NewListenerPoll ofThisProcess(Set<String> preexisting) {
        return new NewListenerPoll(new File("/proc/self"), preexisting);
    }

    /** Whether there is anything to poll here (Linux with {@code /proc} mounted). */
    public boolean available() {
        return new File(procSelf, "net/tcp").canRead() || new File(procSelf, "net/tcp6").canRead();
    }

    /** True when a listening socket of this process that was not there at {@code premain} shows up. */
    public boolean sawNewListener() {
        Set<String> fresh = proc.socketInodes();
        for (Iterator<String> it = fresh.iterator(); it.hasNext(); ) {
            String inode = it.next();
            Integer looks = notListening.get(inode);
            if (preexisting.contains(inode) || (looks != null && looks >= LOOKS_BEFORE_DISMISSED)) {
                it.remove();
            }
        }
        if (fresh.isEmpty()) {
            return false;
        }
        // Which sockets have a row at all is read only on the look that would dismiss one: the inode of every
        // row is then compared, which costs more than the state test alone on a table of thousands of rows.
        boolean judging = false;
        for (String inode : fresh) {
            Integer looks = notListening.get(inode);
            judging |= (looks == null ? 1 : looks + 1) >= LOOKS_BEFORE_DISMISSED;
        }
        Set<String> inTables = judging ? new HashSet<>() : null;
        if (!proc.listening(fresh, inTables).isEmpty()) {
            return true;
        }
        if (notListening.size() + fresh.size() > MAX_JUDGED) {
            notListening.clear();
        }
        for (String inode : fresh) {
            Integer before = notListening.get(inode);
            int looks = before == null ? 1 : before + 1;
            if (looks >= LOOKS_BEFORE_DISMISSED && inTables != null && !inTables.contains(inode)) {
                looks = 0; // no row: not a connection, it may still listen
            }
            notListening.put(inode, looks);
        }
        return false;
    }
}
