package io.autoreg.agent.listen;

import java.io.File;
import java.util.HashMap;
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
 * the watch's cost (docs/benchmarks.md). A socket of ours seen bound or connected but not listening on
 * {@link #LOOKS_BEFORE_DISMISSED} looks (a client connection: a pool opened before the server starts) is not read
 * for again; one not bound yet (no row in the tables) is read for until it binds. Not
 * thread-safe: the agent's thread owns it.
 */
public final class NewListenerPoll {

    /** A bound server socket listens within microseconds of its bind; a few looks leave ample margin. */
    static final int LOOKS_BEFORE_DISMISSED = 3;
    /** Sockets remembered; cleared past this, so it stays bounded. */
    private static final int MAX_JUDGED = 4096;

    private final File procSelf;
    private final ProcNetListeners proc;
    private final Set<String> preexisting;
    /** Sockets of ours seen not listening: how many looks so far. */
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
        if (!proc.listening(fresh).isEmpty()) {
            return true;
        }
        if (notListening.size() + fresh.size() > MAX_JUDGED) {
            notListening.clear();
        }
        // Only a socket that is bound or connected is counted towards dismissal: one with no row in the
        // tables is not bound yet (Netty's native transports create the server socket long before the bind)
        // and is looked at again until it binds.
        for (String inode : proc.inTables(fresh)) {
            Integer looks = notListening.get(inode);
            notListening.put(inode, looks == null ? 1 : looks + 1);
        }
        return false;
    }
}
