package io.autoreg.agent.listen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListenerTrackerTest {

    private final List<String> seen = new ArrayList<>();
    private final ListenerSink sink = new ListenerSink() {
        @Override
        public void opened(Listener listener) {
            seen.add("open " + listener.port() + (listener.jdkInternal() ? " jdk" : ""));
        }

        @Override
        public void closed(Listener listener) {
            seen.add("close " + listener.port());
        }
    };

    @Test
    void anAdaptorAndItsChannelReportingOneBindCountOnce(@TempDir Path noProc) throws IOException {
        ListenerTracker tracker = new ListenerTracker(sink, new ProcNetListeners(noProc));
        try (ServerSocketChannel channel = ServerSocketChannel.open()) {
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
            tracker.onHookEvent(new Object[] {"bind", channel, new Throwable()});
            tracker.onHookEvent(new Object[] {"bind", channel.socket(), new Throwable()});
            tracker.onHookEvent(new Object[] {"bind", channel, new Throwable()});
            assertEquals(List.of("open " + port), seen);
            tracker.onHookEvent(new Object[] {"close", channel});
            assertEquals(List.of("open " + port), seen, "the adaptor still counts as open on that port");
            tracker.onHookEvent(new Object[] {"close", channel.socket()});
            assertEquals(List.of("open " + port, "close " + port), seen);
        }
    }

    @Test
    void aBindAlsoFoundByTheCatchUpIsReportedOnceAndClosesWithItsSocket() throws IOException {
        ListenerTracker tracker = new ListenerTracker(sink, ProcNetListeners.ofThisProcess());
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            tracker.catchUp();
            tracker.onHookEvent(new Object[] {"bind", socket, new Throwable()});
            assertEquals(
                    1,
                    seen.stream()
                            .filter(s -> s.equals("open " + socket.getLocalPort()))
                            .count(),
                    seen.toString());
            tracker.onHookEvent(new Object[] {"close", socket});
            assertTrue(seen.contains("close " + socket.getLocalPort()), seen.toString());
        }
    }

    @Test
    void aCaughtUpListenerClosesWhenProcNoLongerShowsIt() throws IOException {
        ListenerTracker tracker = new ListenerTracker(sink, ProcNetListeners.ofThisProcess());
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
            tracker.catchUp();
            assertTrue(tracker.hasUnownedListeners());
        }
        tracker.reconcile();
        assertTrue(seen.contains("close " + port), seen.toString());
    }

    @Test
    void aListenerThatExistedBeforeMainIsJdkInternal() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ProcNetListeners proc = ProcNetListeners.ofThisProcess();
            new ListenerTracker(sink, proc, proc.socketInodes()).catchUp();
            assertTrue(seen.contains("open " + socket.getLocalPort() + " jdk"), seen.toString());
        }
    }

    @Test
    void aBindFromTheJdksRmiCodeIsMarkedJdkInternal(@TempDir Path noProc) throws IOException {
        ListenerTracker tracker = new ListenerTracker(sink, new ProcNetListeners(noProc));
        Throwable rmiStack = new Throwable();
        rmiStack.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("java.net.ServerSocket", "bind", null, 1),
            new StackTraceElement("sun.rmi.transport.tcp.TCPTransport", "listen", null, 1)
        });
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            tracker.onHookEvent(new Object[] {"bind", socket, rmiStack});
            assertEquals(List.of("open " + socket.getLocalPort() + " jdk"), seen);
        }
    }

    @Test
    void unixDomainAndUnboundSocketsAreIgnored(@TempDir Path dir) throws IOException {
        ListenerTracker tracker = new ListenerTracker(sink, new ProcNetListeners(dir));
        try (ServerSocketChannel unix = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
                ServerSocket unbound = new ServerSocket()) {
            unix.bind(java.net.UnixDomainSocketAddress.of(dir.resolve("s.sock")));
            tracker.onHookEvent(new Object[] {"bind", unix, new Throwable()});
            tracker.onHookEvent(new Object[] {"bind", unbound, new Throwable()});
            assertTrue(seen.isEmpty(), seen.toString());
            assertFalse(tracker.isUnknownClose(new Object[] {"bind", unix}));
        }
    }
}
