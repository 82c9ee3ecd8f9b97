package io.autoreg.agent.listen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** In the real {@code /proc} of this JVM: what premain notes, and what the agent's thread reads from it later. */
class PremainSocketsTest {

    private final ProcNetListeners proc = ProcNetListeners.ofThisProcess();

    @Test
    void aListenerThatExistedAtPremainIsTheJvmsOwnOneThatCameLaterIsNot() throws IOException {
        try (ServerSocket early = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            PremainSockets noted = PremainSockets.noteNow(proc);
            try (ServerSocket later = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                Set<String> jvmOwn = noted.inodes();
                assertTrue(jvmOwn.contains(inodeListeningOn(early.getLocalPort())), "open when noted");
                assertFalse(jvmOwn.contains(inodeListeningOn(later.getLocalPort())), "opened after");
                assertEquals(jvmOwn, noted.inodes(), "read once, then kept");
            }
        }
    }

    @Test
    void theDescriptorsListedAreOpenAndNoRegularFiles(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("plain.txt"), "x");
        try (FileInputStream plain = new FileInputStream(file.toFile());
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<String> listed = Arrays.asList(proc.openDescriptors());
            File fd = new File("/proc/self/fd");
            for (String descriptor : listed) {
                // the descriptor that listed the directory is closed by now: it must not be among them, since
                // the next socket opened takes its number
                assertTrue(new File(fd, descriptor).exists(), descriptor + " is open");
                assertFalse(new File(fd, descriptor).isFile(), descriptor + " is no regular file");
            }
            assertFalse(listed.isEmpty(), "the standard streams and the socket at least");
            assertEquals(proc.socketInodes(), proc.socketInodes(proc.openDescriptors()), "every socket among them");
            assertTrue(proc.socketInodes().contains(inodeListeningOn(socket.getLocalPort())));
        }
    }

    @Test
    void knownInodesAreTakenAsGiven() {
        assertEquals(Set.of("42"), PremainSockets.of(Set.of("42")).inodes());
        assertEquals(Set.of(), PremainSockets.of(Set.of()).inodes());
    }

    private String inodeListeningOn(int port) {
        for (ProcNetListeners.Found found : proc.listening()) {
            if (found.address().getPort() == port) {
                return found.inode();
            }
        }
        throw new AssertionError("no listener on " + port + " in /proc");
    }
}
