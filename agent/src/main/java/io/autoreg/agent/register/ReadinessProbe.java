package io.autoreg.agent.register;

import io.autoreg.agent.hook.EventQueue;
import io.autoreg.agent.listen.Listener;
import io.autoreg.core.internal.log.Log;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Bound is not ready: with {@code autoreg.agent.readiness = tcp | http} a listener is registered only
 * after a TCP connect to it succeeds, or an HTTP GET of {@code readiness-path} answers 2xx or 3xx — the kubelet's
 * rule, so {@code /} redirecting to a login page is an application that answers. A probe still failing after
 * {@link #WARN_AFTER} is said in one warning line per way of failing, with the settings that choose it: a wrong path
 * left the listener unregistered without a word. Probes
 * are tasks on the agent's thread (scheduled on its queue, no thread of their own) and retry with a
 * growing pause until they pass or the listener is no longer wanted. A probe is a loopback connect and,
 * for {@code http}, one status line: bounded by {@link #TIMEOUT_MILLIS} to connect and twice that to answer,
 * it holds the agent's other events back by at most that much.
 */
final class ReadinessProbe {

    private static final Duration FIRST_PAUSE = Duration.ofMillis(50);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(1);
    private static final int TIMEOUT_MILLIS = 1000;
    /** Longer than most applications take to become ready after their bind; a wrong probe is said after it. */
    static final Duration WARN_AFTER = Duration.ofSeconds(15);

    private final AgentSettings.Readiness kind;
    private final String path;
    private final EventQueue agentThread;
    private final long warnAfterNanos;

    /** The agent's internal knob for {@link #WARN_AFTER} (the agent's tests: a child JVM need not wait 15 s). */
    static final String WARN_AFTER_PROPERTY = "io.autoreg.agent.internal.readiness-warn-millis";

    ReadinessProbe(AgentSettings.Readiness kind, String path, EventQueue agentThread) {
        this(kind, path, agentThread, warnAfter());
    }

    private static Duration warnAfter() {
        String value = System.getProperty(WARN_AFTER_PROPERTY);
        try {
            return value == null ? WARN_AFTER : Duration.ofMillis(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            return WARN_AFTER;
        }
    }

    ReadinessProbe(AgentSettings.Readiness kind, String path, EventQueue agentThread, Duration warnAfter) {
        this.kind = kind;
        this.path = path;
        this.agentThread = agentThread;
        this.warnAfterNanos = warnAfter.toNanos();
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
        private final long startedNanos = System.nanoTime();
        /** The ways of failing said already: each once, however the answers alternate. */
        private final Set<String> said = new HashSet<>();

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
            String failure = probe.failure(listener);
            if (failure == null) {
                onReady.run();
                return;
            }
            if (System.nanoTime() - startedNanos >= probe.warnAfterNanos && said.add(failure)) {
                Log.warn("port " + listener.port() + " is not registered yet: its readiness probe ("
                        + probe.describe() + ") still fails, " + failure + "; registered once it passes"
                        + " (autoreg.agent.readiness, autoreg.agent.readiness-path)");
            }
            long next = pause;
            pause = Math.min(MAX_PAUSE.toMillis(), pause * 2);
            probe.agentThread.schedule(next, this);
        }
    }

    /** What the probe does, for the warning: {@code GET /health} or {@code TCP connect}. */
    private String describe() {
        return kind == AgentSettings.Readiness.TCP ? "TCP connect" : "GET " + path;
    }

    boolean passes(Listener listener) {
        return failure(listener) == null;
    }

    /** Null when the listener is ready, else how the probe failed ({@code HTTP 404}, {@code ConnectException: …}). */
    String failure(Listener listener) {
        InetAddress target = listener.isWildcard() ? InetAddress.getLoopbackAddress() : listener.host();
        try (Socket socket = new Socket(Proxy.NO_PROXY)) {
            socket.connect(new InetSocketAddress(target, listener.port()), TIMEOUT_MILLIS);
            if (kind == AgentSettings.Readiness.TCP) {
                return null;
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
            if (line.length() < 12 || !line.startsWith("HTTP/")) {
                return "no HTTP status line in the answer";
            }
            char first = line.charAt(9);
            return first == '2' || first == '3' ? null : "HTTP " + line.substring(9, 12);
        } catch (IOException | RuntimeException e) {
            return Log.describe(e);
        }
    }
}
