package io.autoreg.agent.register;

import io.autoreg.agent.hook.EventQueue;
import io.autoreg.agent.listen.Listener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Bound is not ready: with {@code autoreg.agent.readiness = tcp | http} a listener is registered only
 * after a TCP connect to it succeeds, or an HTTP GET of {@code readiness-path} answers 2xx. Probes
 * are tasks on the agent's thread (scheduled on its queue, no thread of their own) and retry with a
 * growing pause until they pass or the listener is no longer wanted. A probe is a loopback connect and,
 * for {@code http}, one status line: bounded by {@link #TIMEOUT_MILLIS} to connect and twice that to answer,
 * it holds the agent's other events back by at most that much.
 */
final class ReadinessProbe {

    private static final Duration FIRST_PAUSE = Duration.ofMillis(50);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(1);
    private static final int TIMEOUT_MILLIS = 1000;

    private final AgentSettings.Readiness kind;
    private final String path;
    private final EventQueue agentThread;

    ReadinessProbe(AgentSettings.Readiness kind, String path, EventQueue agentThread) {
        this.kind = kind;
        this.path = path;
        this.agentThread = agentThread;
    }

    /** Whether listeners are probed at all ({@code autoreg.agent.readiness} is not {@code none}). */
    boolean probes() {
        return kind != AgentSettings.Readiness.NONE;
    }

    /** Runs {@code onReady} on the agent's thread once the listener is ready (at once without a probe). */
    void whenReady(Listener listener, BooleanSupplier stillWanted, Runnable onReady) {
        if (kind == AgentSettings.Readiness.NONE) {
            onReady.run();
            return;
        }
        agentThread.schedule(0, new Probe(this, listener, stillWanted, onReady));
    }

    /** One look, then the next one scheduled with a doubled pause, while the listener is wanted. */
    private static final class Probe implements Runnable {
        private final ReadinessProbe probe;
        private final Listener listener;
        private final BooleanSupplier stillWanted;
        private final Runnable onReady;
        private long pause = FIRST_PAUSE.toMillis();

        Probe(ReadinessProbe probe, Listener listener, BooleanSupplier stillWanted, Runnable onReady) {
            this.probe = probe;
            this.listener = listener;
            this.stillWanted = stillWanted;
            this.onReady = onReady;
        }

        @Override
        public void run() {
            if (!stillWanted.getAsBoolean()) {
                return;
            }
            if (probe.passes(listener)) {
                onReady.run();
                return;
            }
            long next = pause;
            pause = Math.min(MAX_PAUSE.toMillis(), pause * 2);
            probe.agentThread.schedule(next, this);
        }
    }

    boolean passes(Listener listener) {
        InetAddress target = listener.isWildcard() ? InetAddress.getLoopbackAddress() : listener.host();
        try (Socket socket = new Socket(Proxy.NO_PROXY)) {
            socket.connect(new InetSocketAddress(target, listener.port()), TIMEOUT_MILLIS);
            if (kind == AgentSettings.Readiness.TCP) {
                return true;
            }
            // a minimal HTTP/1.0 GET: the status line is all the probe needs
            socket.setSoTimeout(2 * TIMEOUT_MILLIS);
            String host = target.getHostAddress().contains(":")
                    ? "[" + target.getHostAddress() + "]"
                    : target.getHostAddress();
            socket.getOutputStream()
                    .write(("GET " + path + " HTTP/1.0\r\nHost: " + host + ":" + listener.port()
                                    + "\r\nUser-Agent: autoreg-readiness\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            byte[] status = socket.getInputStream().readNBytes(12);
            String line = new String(status, StandardCharsets.US_ASCII);
            return line.length() == 12 && line.startsWith("HTTP/") && line.charAt(9) == '2';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
