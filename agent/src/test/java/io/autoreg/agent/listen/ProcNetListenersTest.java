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
