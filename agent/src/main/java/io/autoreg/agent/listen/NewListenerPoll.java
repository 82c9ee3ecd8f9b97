package io.autoreg.agent.listen;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One cheap look at {@code /proc/self/net/tcp{,6}}: has this process started listening on a socket it did
 * not have at {@code premain}? Used during the application's start, before any hook is registered, so it
 * allocates nothing for the connection rows (most rows on a busy host) and reads {@code /proc/self/fd} only
 * when a listening socket it has not judged before appears in the network namespace. Not thread-safe: one
 * watcher thread owns it.
 */
public final class NewListenerPoll {

    /** LISTEN inodes remembered as "not a new listener of ours"; cleared past this, so it stays bounded. */
    private static final int MAX_DISMISSED = 4096;
    private static final int STATE_FIELD = 3;
    private static final int INODE_FIELD = 9;

    private final File[] tables;
    private final ProcNetListeners proc;
    private final Set<String> preexisting;
    private final Set<String> dismissed = new HashSet<>();
    private byte[] buffer = new byte[8192];

    /**
     * @param procSelf    {@code /proc/self}, or a copy of its layout in tests
     * @param preexisting socket inodes this process had at {@code premain} (the JVM's own listeners)
     */
    public NewListenerPoll(File procSelf, Set<String> preexisting) {
        this.tables = new File[] {new File(procSelf, "net/tcp"), new File(procSelf, "net/tcp6")};
        this.proc = new ProcNetListeners(procSelf.toPath());
        this.preexisting = preexisting;
    }

    /** For this process: {@code /proc/self}. */
    public static NewListenerPoll ofThisProcess(Set<String> preexisting) {
        return new NewListenerPoll(new File("/proc/self"), preexisting);
    }

    /** Whether there is anything to poll here (Linux with {@code /proc} mounted). */
    public boolean available() {
        return tables[0].canRead() || tables[1].canRead();
    }

    /** True when a listening socket of this process that was not there at {@code premain} shows up. */
    public boolean sawNewListener() {
        List<String> candidates = null;
        for (File table : tables) {
            candidates = newListenInodes(table, candidates);
        }
        if (candidates == null) {
            return false;
        }
        Set<String> own = proc.socketInodes();
        for (int i = 0; i < candidates.size(); i++) {
            String inode = candidates.get(i);
            if (own.contains(inode) && !preexisting.contains(inode)) {
                return true;
            }
        }
        // another process's listener (the namespace is shared), or the JVM's own: never look at it again
        if (dismissed.size() + candidates.size() > MAX_DISMISSED) {
            dismissed.clear();
        }
        dismissed.addAll(candidates);
        return false;
    }

    private List<String> newListenInodes(File table, List<String> candidates) {
        int length = read(table);
        int at = Math.min(length, lineEnd(0, length) + 1);      // past the header
        while (at < length) {
            int end = lineEnd(at, length);
            String inode = listenInode(at, end);
            if (inode != null && !dismissed.contains(inode)) {
                if (candidates == null) {
                    candidates = new ArrayList<>(4);
                }
                candidates.add(inode);
            }
            at = end + 1;
        }
        return candidates;
    }

    /** The inode of a LISTEN row ({@code sl local rem st ... uid timeout inode ...}), else null. */
    private String listenInode(int from, int to) {
        int field = -1;
        int i = from;
        while (i < to) {
            while (i < to && buffer[i] == ' ') {
                i++;
            }
            int start = i;
            while (i < to && buffer[i] != ' ') {
                i++;
            }
            if (start == i) {
                break;
            }
            field++;
            if (field == STATE_FIELD && (i - start != 2 || buffer[start] != '0' || buffer[start + 1] != 'A')) {
                return null;
            }
            if (field == INODE_FIELD) {
                return new String(buffer, start, i - start, StandardCharsets.US_ASCII);
            }
        }
        return null;
    }

    private int lineEnd(int from, int length) {
        int i = from;
        while (i < length && buffer[i] != '\n') {
            i++;
        }
        return i;
    }

    /** The whole table into {@link #buffer} (procfs reports no size: read to the end); 0 if unreadable. */
    private int read(File table) {
        try (FileInputStream in = new FileInputStream(table)) {
            int length = 0;
            while (true) {
                if (length == buffer.length) {
                    byte[] larger = new byte[buffer.length * 2];
                    System.arraycopy(buffer, 0, larger, 0, length);
                    buffer = larger;
                }
                int n = in.read(buffer, length, buffer.length - length);
                if (n < 0) {
                    return length;
                }
                length += n;
            }
        } catch (IOException | RuntimeException e) {
            return 0;       // no such table (IPv6 off), or it went away
        }
    }
}
