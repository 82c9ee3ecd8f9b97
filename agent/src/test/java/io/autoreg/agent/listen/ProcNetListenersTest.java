package io.autoreg.agent.listen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcNetListenersTest {

    @Test
    void decodesIpv4AndIpv6ListenRowsOfOwnSocketsOnly() throws IOException {
        String v4 =
                "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 111 1 0 100 0 0 10 0";
        String v4other =
                "   1: 00000000:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 999 1 0 100 0 0 10 0";
        String v4est =
                "   2: 0100007F:1F92 0100007F:9C40 01 00000000:00000000 00:00000000 00000000  1000        0 112 1 0 100 0 0 10 0";
        String v6 =
                "   0: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 0 113 1 0 100 0 0 10 0";
        String v6loop =
                "   1: 00000000000000000000000001000000:0051 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 0 114 1 0 100 0 0 10 0";
        Set<String> mine = Set.of("111", "112", "113", "114");
        assertEquals(
                new ProcNetListeners.Found(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8080), "111"),
                ProcNetListeners.parseListenRow(v4, mine));
        assertNull(ProcNetListeners.parseListenRow(v4other, mine), "another process's socket");
        assertNull(ProcNetListeners.parseListenRow(v4est, mine), "not LISTEN");
        assertEquals(
                new InetSocketAddress(InetAddress.getByName("::"), 80),
                ProcNetListeners.parseListenRow(v6, mine).address());
        assertEquals(
                new InetSocketAddress(InetAddress.getByName("::1"), 81),
                ProcNetListeners.parseListenRow(v6loop, mine).address());
    }

    @Test
    void findsAListenerOfThisJvmInTheRealProcFileSystem() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<ProcNetListeners.Found> listening =
                    ProcNetListeners.ofThisProcess().listening();
            assertTrue(
                    listening.stream().anyMatch(f -> f.address().getPort() == socket.getLocalPort()),
                    listening.toString());
        }
    }

    private static final String HEADER =
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";

    private static String v4Listen(int port, String inode) {
        return String.format(
                "   0: 0100007F:%04X 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 %s 1 0 100 0 0 10 0",
                port, inode);
    }

    private static String v6Listen(int port, String inode) {
        return String.format(
                "   0: 00000000000000000000000001000000:%04X 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 0 %s 1 0 100 0 0 10 0",
                port, inode);
    }

    private static ProcNetListeners tables(Path proc, String tcp, String tcp6) throws IOException {
        Files.createDirectories(proc.resolve("net"));
        Files.writeString(proc.resolve("net/tcp"), HEADER + "\n" + tcp + "\n");
        Files.writeString(proc.resolve("net/tcp6"), HEADER + "\n" + tcp6 + "\n");
        return new ProcNetListeners(proc);
    }

    @Test
    void tcpIsReadOnlyForSocketsTcp6DoesNotAccountFor(@TempDir Path proc) throws IOException {
        // the same inode in both tables cannot happen: here it shows which table the answer came from
        ProcNetListeners both = tables(proc, v4Listen(8080, "201"), v6Listen(8081, "201"));
        assertEquals(List.of(8081), ports(both.listening(Set.of("201"))), "all found in tcp6: tcp is not read");
        Set<String> inTables = new java.util.HashSet<>();
        assertEquals(List.of(8081), ports(both.listening(Set.of("201"), inTables)));
        assertEquals(Set.of("201"), inTables);

        Path other = proc.resolve("other");
        ProcNetListeners split = tables(other, v4Listen(8080, "301"), v6Listen(8081, "302"));
        assertEquals(
                List.of(8080, 8081),
                ports(split.listening(Set.of("301", "302"))),
                "one in each table: both read, tcp's rows first");
        assertEquals(List.of(8080), ports(split.listening(Set.of("301"))), "none in tcp6: tcp is read");
    }

    private static List<Integer> ports(List<ProcNetListeners.Found> found) {
        return found.stream().map(f -> f.address().getPort()).toList();
    }

    @Test
    void findsNothingWithoutProc(@TempDir Path empty) {
        assertTrue(new ProcNetListeners(empty).listening().isEmpty());
        assertNull(new ProcNetListeners(empty).commandLine());
    }

    @Test
    void debuggerPortsFromTheCommandLineAreJdkInternal(@TempDir Path dir) throws IOException {
        Files.write(
                dir.resolve("cmdline"),
                "java\0-agentlib:jdwp=transport=dt_socket,server=y,address=*:5005\0-jar\0app.jar\0".getBytes());
        assertTrue(JdkInternalListeners.configuredPorts(new ProcNetListeners(dir).commandLine())
                .contains(5005));
    }
}
