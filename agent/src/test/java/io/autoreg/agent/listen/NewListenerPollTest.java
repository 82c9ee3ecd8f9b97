package io.autoreg.agent.listen;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NewListenerPollTest {

    private static final String HEADER =
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";

    private static String row(String state, String inode) {
        return "   0: 00000000:1F90 00000000:0000 " + state + " 00000000:00000000 00:00000000 00000000  1000        0 "
                + inode + " 1 0000000000000000 100 0 0 10 0\n";
    }

    /** A /proc/self copy: the two tables and fd links to "socket:[inode]". */
    private static Path fakeProc(Path dir, String tcp, String tcp6, String... ownSocketInodes) throws IOException {
        Files.createDirectories(dir.resolve("net"));
        Files.createDirectories(dir.resolve("fd"));
        Files.writeString(dir.resolve("net/tcp"), tcp);
        Files.writeString(dir.resolve("net/tcp6"), tcp6);
        for (int i = 0; i < ownSocketInodes.length; i++) {
            Files.createSymbolicLink(dir.resolve("fd/" + (10 + i)), Path.of("socket:[" + ownSocketInodes[i] + "]"));
        }
        return dir;
    }

    @Test
    void seesANewListenerOfThisProcessOnlyAndNotTheJvmsOwnOrAnotherProcesssOrAConnection(@TempDir Path dir)
            throws IOException {
        Path proc =
                fakeProc(dir, HEADER + row("0A", "900") + row("0A", "100") + row("01", "300"), HEADER, "100", "300");
        NewListenerPoll poll = new NewListenerPoll(proc.toFile(), Set.of("100"));
        assertTrue(poll.available());
        assertFalse(poll.sawNewListener(), "900 is another process's listener, 100 the JVM's own, 300 a connection");

        Files.writeString(proc.resolve("net/tcp6"), HEADER + row("0A", "301"));
        Files.createSymbolicLink(proc.resolve("fd/20"), Path.of("socket:[301]"));
        assertTrue(poll.sawNewListener(), "an IPv6 listener of this process");
    }

    @Test
    void readsTablesLargerThanItsFirstBuffer(@TempDir Path dir) throws IOException {
        StringBuilder busy = new StringBuilder(HEADER);
        for (int i = 0; i < 2_000; i++) {
            busy.append(row("01", String.valueOf(5_000 + i)));
        }
        busy.append(row("0A", "42"));
        NewListenerPoll poll =
                new NewListenerPoll(fakeProc(dir, busy.toString(), "", "42").toFile(), Set.of());
        assertTrue(poll.sawNewListener());
    }

    @Test
    void aSocketOfOursThatListensAFewLooksLaterIsSeenAndAConnectionIsDismissed(@TempDir Path dir) throws IOException {
        Path proc = fakeProc(dir, HEADER + row("07", "500") + row("01", "600"), HEADER, "500", "600");
        NewListenerPoll poll = new NewListenerPoll(proc.toFile(), Set.of());
        assertFalse(poll.sawNewListener(), "500 is not listening yet, 600 is a connection");
        Files.writeString(proc.resolve("net/tcp"), HEADER + row("0A", "500") + row("01", "600"));
        assertTrue(poll.sawNewListener(), "500 listens now");

        Path other = fakeProc(dir.resolve("other"), HEADER + row("01", "700"), HEADER, "700");
        NewListenerPoll later = new NewListenerPoll(other.toFile(), Set.of());
        for (int look = 0; look < NewListenerPoll.LOOKS_BEFORE_DISMISSED; look++) {
            assertFalse(later.sawNewListener());
        }
        Files.writeString(other.resolve("net/tcp"), HEADER + row("0A", "700"));
        assertFalse(
                later.sawNewListener(),
                "judged a connection after " + NewListenerPoll.LOOKS_BEFORE_DISMISSED
                        + " looks: the tables are not read for it again");
    }

    @Test
    void aSocketWithoutARowIsNeverDismissedSoAServerChannelBoundLaterIsSeen(@TempDir Path dir) throws IOException {
        // Netty opens its server channel, then binds on its event loop: until it listens the socket has no row
        Path proc = fakeProc(dir, HEADER + row("01", "600"), HEADER, "800");
        NewListenerPoll poll = new NewListenerPoll(proc.toFile(), Set.of());
        for (int look = 0; look < 3 * NewListenerPoll.LOOKS_BEFORE_DISMISSED; look++) {
            assertFalse(poll.sawNewListener(), "800 has no row yet");
        }
        Files.writeString(proc.resolve("net/tcp"), HEADER + row("01", "600") + row("0A", "800"));
        assertTrue(poll.sawNewListener(), "800 listens now");
    }

    @Test
    void seesAServerChannelOpenedLongBeforeItIsBoundInTheRealProcFileSystem() throws IOException {
        Set<String> before = ProcNetListeners.ofThisProcess().socketInodes();
        NewListenerPoll poll = NewListenerPoll.ofThisProcess(before);
        try (ServerSocketChannel channel = ServerSocketChannel.open()) {
            for (int look = 0; look < 3 * NewListenerPoll.LOOKS_BEFORE_DISMISSED; look++) {
                assertFalse(poll.sawNewListener(), "open, not bound");
            }
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            assertTrue(poll.sawNewListener(), "bound and listening on " + channel.getLocalAddress());
        }
    }

    @Test
    void aSocketCreatedLongBeforeItsBindIsStillSeenWhenItListens(@TempDir Path dir) throws IOException {
        // Netty's native transports create the server socket when the channel is built and bind it later:
        // until then it has no row in the tables, and many looks may pass.
        Path proc = fakeProc(dir, HEADER + row("01", "600"), HEADER, "800", "600");
        NewListenerPoll poll = new NewListenerPoll(proc.toFile(), Set.of());
        for (int look = 0; look < 10 * NewListenerPoll.LOOKS_BEFORE_DISMISSED; look++) {
            assertFalse(poll.sawNewListener(), "800 is not bound yet, 600 is a connection");
        }
        Files.writeString(proc.resolve("net/tcp"), HEADER + row("0A", "800") + row("01", "600"));
        assertTrue(poll.sawNewListener(), "800 bound and listens now");
    }

    @Test
    void isUnavailableWithoutProc(@TempDir Path empty) {
        NewListenerPoll poll = new NewListenerPoll(empty.toFile(), Set.of());
        assertFalse(poll.available());
        assertFalse(poll.sawNewListener());
    }

    @Test
    void seesThisJvmStartListeningInTheRealProcFileSystem() throws IOException {
        Set<String> before = ProcNetListeners.ofThisProcess().socketInodes();
        NewListenerPoll poll = NewListenerPoll.ofThisProcess(before);
        assertFalse(poll.sawNewListener(), "the listeners this JVM had already are not new");
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertTrue(poll.sawNewListener(), "listener on port " + socket.getLocalPort());
        }
    }
}
