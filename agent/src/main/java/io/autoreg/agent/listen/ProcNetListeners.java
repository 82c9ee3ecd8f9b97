package io.autoreg.agent.listen;

import java.io.BufferedReader;
import java.io.File;
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

    private final Path procSelf;

    public ProcNetListeners(Path procSelf) {
        this.procSelf = procSelf;
    }

    public static ProcNetListeners ofThisProcess() {
        return new ProcNetListeners(Path.of("/proc/self"));
    }

    /** A listening socket of this process and its inode. */
    public record Found(InetSocketAddress address, String inode) {
    }

    public List<Found> listening() {
        Set<String> inodes = socketInodes();
        List<Found> result = new ArrayList<>();
        if (inodes.isEmpty()) {
            return result;
        }
        readTable(procSelf.resolve("net/tcp"), inodes, result);
        readTable(procSelf.resolve("net/tcp6"), inodes, result);
        return result;
    }

    /** The command line ({@code \0}-separated), or null where there is no {@code /proc}. */
    public String commandLine() {
        try {
            return new String(Files.readAllBytes(procSelf.resolve("cmdline")), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The inodes of this process's sockets (of any kind); cheap when there are few descriptors. */
    public Set<String> socketInodes() {
        Set<String> inodes = new HashSet<>();
        String[] fds = procSelf.resolve("fd").toFile().list();
        if (fds == null) {
            return inodes;
        }
        for (String fd : fds) {
            try {
                String target = Files.readSymbolicLink(procSelf.resolve("fd").resolve(fd)).toString();
                if (target.startsWith("socket:[") && target.endsWith("]")) {
                    inodes.add(target.substring("socket:[".length(), target.length() - 1));
                }
            } catch (IOException | RuntimeException e) {
                // the descriptor was closed meanwhile
            }
        }
        return inodes;
    }

    private static void readTable(Path table, Set<String> inodes, List<Found> result) {
        File file = table.toFile();
        if (!file.canRead()) {
            return;
        }
        // Streamed line by line: on a busy host the table lists every connection of the namespace.
        try (BufferedReader reader = Files.newBufferedReader(table, StandardCharsets.US_ASCII)) {
            reader.readLine();
            String line;
            while ((line = reader.readLine()) != null) {
                Found found = parseListenRow(line, inodes);
                if (found != null) {
                    result.add(found);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the table went away or changed format: nothing more from it
        }
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
