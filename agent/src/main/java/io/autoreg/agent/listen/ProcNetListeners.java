package io.autoreg.agent.listen;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The TCP sockets this process listens on, read from Linux's {@code /proc}: the LISTEN rows of
 * {@code /proc/self/net/tcp} and {@code tcp6} whose socket inode is one of this process's file
 * descriptors ({@code /proc/self/fd/N -> socket:[inode]}); the tables list the whole network
 * namespace. This finds binds made before the hooks were in, binds made in native code, and the
 * listeners of a JVM the agent was attached to. Elsewhere (no {@code /proc}) it finds nothing.
 */
public final class ProcNetListeners {

    private static final String LISTEN_STATE = "0A";

    /** procfs rows are about 150 bytes; a longer one means a format this does not know: the table is skipped. */
    private static final int CHUNK = 8192;

    private final Path procSelf;
    private final File[] tables;

    public ProcNetListeners(Path procSelf) {
        this.procSelf = procSelf;
        File dir = procSelf.toFile();
        this.tables = new File[] {new File(dir, "net/tcp"), new File(dir, "net/tcp6")};
    }

    public static ProcNetListeners ofThisProcess() {
        return new ProcNetListeners(Path.of("/proc/self"));
    }

    /** A listening socket of this process and its inode. */
    public record Found(InetSocketAddress address, String inode) {}

    public List<Found> listening() {
        return listening(socketInodes());
    }

    /**
     * The listening sockets among these inodes (sockets of this process). The tables list every connection of
     * the network namespace — thousands of rows on a busy host — so they are scanned as bytes, in one small
     * buffer, and only a LISTEN row becomes a String.
     */
    public List<Found> listening(Set<String> inodes) {
        return listening(inodes, null);
    }

    /**
     * As {@link #listening(Set)}, and adds to {@code inTables} (empty when given) those of the inodes that have a row
     * in any state.
     * <b>Important:</b> a TCP socket has no row while it is neither listening nor connected — just created, or
     * bound but not listening yet (Netty opens its server channel well before it binds) — so a socket without a
     * row may still become a listener; one with a row in another state is a connection and never will.
     */
    public List<Found> listening(Set<String> inodes, Set<String> inTables) {
        List<Found> result = new ArrayList<>();
        if (inodes.isEmpty()) {
            return result;
        }
        byte[] chunk = new byte[CHUNK];
        byte[][] wanted = null;
        if (inTables != null) {
            wanted = new byte[inodes.size()][];
            int i = 0;
            for (String inode : inodes) {
                wanted[i++] = inode.getBytes(StandardCharsets.US_ASCII);
            }
        }
        // tcp6 first, and tcp only for inodes still unaccounted for: a JVM's sockets are IPv6 (dual stack) unless
        // java.net.preferIPv4Stack is set, and every read costs the kernel a walk of the whole connection hash
        // table, which is sized by the host's memory, not by its connections (a fraction of a ms on a large host
        // even with a dozen rows). The result keeps the order tcp, then tcp6.
        List<Found> v6 = new ArrayList<>();
        readTable(tables[1], inodes, v6, chunk, wanted, inTables);
        if (!allAccountedFor(inodes, v6, inTables)) {
            readTable(tables[0], inodes, result, chunk, wanted, inTables);
        }
        result.addAll(v6);
        return result;
    }

    /** Whether every inode is known after one table: listening, or (when rows are collected) with a row at all. */
    private static boolean allAccountedFor(Set<String> inodes, List<Found> found, Set<String> inTables) {
        if (inTables != null) {
            return inTables.containsAll(inodes);
        }
        if (found.size() < inodes.size()) {
            return false;
        }
        Set<String> listening = new HashSet<>();
        for (Found f : found) {
            listening.add(f.inode());
        }
        return listening.containsAll(inodes);
    }

    /** The command line ({@code \0}-separated), or null where there is no {@code /proc}. */
    public String commandLine() {
        try {
            try (FileInputStream in = new FileInputStream(new File(procSelf.toFile(), "cmdline"))) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The inodes of this process's sockets (of any kind); cheap when there are few descriptors. */
    public Set<String> socketInodes() {
        Set<String> inodes = new HashSet<>();
        Path fdDirectory = procSelf.resolve("fd");
        String[] fds = fdDirectory.toFile().list();
        if (fds == null) {
            return inodes;
        }
        for (String fd : fds) {
            try {
                String target = Files.readSymbolicLink(fdDirectory.resolve(fd)).toString();
                if (target.startsWith("socket:[") && target.endsWith("]")) {
                    inodes.add(target.substring("socket:[".length(), target.length() - 1));
                }
            } catch (IOException | RuntimeException e) {
                // the descriptor was closed meanwhile
            }
        }
        return inodes;
    }

    private static void readTable(
            File table, Set<String> inodes, List<Found> result, byte[] chunk, byte[][] wanted, Set<String> inTables) {
        try (FileInputStream in = new FileInputStream(table)) {
            int length = 0;
            boolean header = true;
            while (true) {
                int n = in.read(chunk, length, chunk.length - length);
                if (n < 0) {
                    return; // procfs ends every row with a newline: nothing is left over
                }
                int scanFrom = length;
                length += n;
                int rowStart = 0;
                for (int i = scanFrom; i < length; i++) {
                    if (chunk[i] == '\n') {
                        if (!header && isListenRow(chunk, rowStart, i)) {
                            Found found = parseListenRow(
                                    new String(chunk, rowStart, i - rowStart, StandardCharsets.US_ASCII), inodes);
                            if (found != null) {
                                result.add(found);
                                if (inTables != null) {
                                    inTables.add(found.inode());
                                }
                            }
                        } else if (!header && wanted != null) {
                            byte[] inode = inodeOf(chunk, rowStart, i, wanted);
                            if (inode != null) {
                                inTables.add(new String(inode, StandardCharsets.US_ASCII));
                            }
                        }
                        header = false;
                        rowStart = i + 1;
                    }
                }
                if (rowStart == 0 && length == chunk.length) {
                    return; // a row longer than the buffer: not a table this reads
                }
                System.arraycopy(chunk, rowStart, chunk, 0, length - rowStart);
                length -= rowStart;
            }
        } catch (IOException | RuntimeException e) {
            // no such table (IPv6 off), or it went away or changed format: nothing more from it
        }
    }

    /** The one of {@code wanted} that is the tenth field (the inode) of the row in {@code bytes[from, to)}, or null. */
    static byte[] inodeOf(byte[] bytes, int from, int to, byte[][] wanted) {
        long field = ProcFields.field(bytes, from, to, 10);
        if (field < 0) {
            return null;
        }
        int start = (int) (field >>> 32);
        int end = (int) field;
        for (byte[] inode : wanted) {
            if (inode.length == end - start && java.util.Arrays.equals(bytes, start, end, inode, 0, inode.length)) {
                return inode;
            }
        }
        return null;
    }

    /** Whether the fourth field (the state) of the row in {@code bytes[from, to)} is {@code 0A} (LISTEN). */
    static boolean isListenRow(byte[] bytes, int from, int to) {
        long field = ProcFields.field(bytes, from, to, 4);
        if (field < 0) {
            return false;
        }
        int start = (int) (field >>> 32);
        return (int) field - start == 2 && bytes[start] == '0' && bytes[start + 1] == 'A';
    }

    /**
     * One row: {@code sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...}.
     * Most rows are connections, not listeners: the state is checked before anything is allocated.
     */
    static Found parseListenRow(String row, Set<String> inodes) {
        int[] bounds = new int[20];
        int fields = 0;
        int i = 0;
        int n = row.length();
        while (i < n && fields < 10) {
            while (i < n && row.charAt(i) == ' ') {
                i++;
            }
            int start = i;
            while (i < n && row.charAt(i) != ' ') {
                i++;
            }
            if (start < i) {
                bounds[fields * 2] = start;
                bounds[fields * 2 + 1] = i;
                fields++;
                if (fields == 4 && (bounds[7] - bounds[6] != 2 || !row.regionMatches(bounds[6], LISTEN_STATE, 0, 2))) {
                    return null;
                }
            }
        }
        String inode = fields < 10 ? null : row.substring(bounds[18], bounds[19]);
        if (inode == null || !inodes.contains(inode)) {
            return null;
        }
        String local = row.substring(bounds[2], bounds[3]);
        int colon = local.indexOf(':');
        if (colon < 0) {
            return null;
        }
        try {
            InetAddress address = InetAddress.getByAddress(decodeAddress(local.substring(0, colon)));
            return new Found(new InetSocketAddress(address, Integer.parseInt(local.substring(colon + 1), 16)), inode);
        } catch (UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The kernel prints the address as 32-bit words in host (little-endian) byte order. */
    static byte[] decodeAddress(String hex) {
        if (hex.length() != 8 && hex.length() != 32) {
            throw new IllegalArgumentException("address of " + hex.length() + " hex digits");
        }
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int b = 0; b < 4; b++) {
                int at = (word * 4 + b) * 2;
                bytes[word * 4 + (3 - b)] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        return bytes;
    }
}
