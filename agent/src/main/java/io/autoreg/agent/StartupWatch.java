package io.autoreg.agent;

import io.autoreg.agent.listen.NewListenerPoll;

/**
 * The start-up watch, the first task of the agent's thread ({@link AgentStart}, started by {@code premain}): it
 * looks for the application's first listener in {@code /proc} every {@link #POLL_MILLIS} while the application
 * starts, with no transformer registered (the JDK's hooked classes were loaded patched in premain,
 * {@link AgentStart#prepatch}); each look is one task, the next one scheduled on the agent's queue.
 *
 * <p>Why not hooks from the start: a registered {@link java.lang.instrument.ClassFileTransformer} turns on the
 * JVM's class-file-load hook, and then every class loaded — the thousands of a start-up, most of them from the
 * CDS archive — has its bytes read out and handed to Java and back (measured: a no-op transformer alone makes
 * the sample app start 5–6 % slower). So the hooks go in only once the application listens (the runtime then
 * catches up on that listener), or when the watch gives up after {@link #windowMillis} (an application that
 * listens late, or never: the hooks then start the runtime when it does).
 *
 * <p>Each look costs tens of microseconds in a pod's own network namespace; on a host with a large connection
 * table the interval stretches so the watch never takes more than about 2 % of one core.
 */
final class StartupWatch implements Runnable {

    /**
     * Bind → seen: at most this plus one look; the registration follows well inside 300 ms of the bind. Only binds
     * made in native code (Netty's native transports) wait for a look: a bind through the JDK's classes, patched
     * before the first look, reports itself at once. So the looks can be this far apart (20 ms before the JDK's
     * classes were patched: half the looks of a 250 ms start, docs/benchmarks.md).
     */
    static final long POLL_MILLIS = 50;
    /** The interval is at least this many times what a look costs. */
    private static final long MAX_COST_SHARE = 50;
    /** Default watch window: longer than the start of most services, short for a JVM that never listens. */
    static final long DEFAULT_WINDOW_MILLIS = 30_000;
    /** Internal: the window in milliseconds, for tests of what happens after it. */
    static final String WINDOW_PROPERTY = "io.autoreg.agent.internal.startup-watch-millis";

    private final NewListenerPoll poll;
    private final AgentStart start;
    private final long windowMillis;
    private long deadline;
    private long cheapest = Long.MAX_VALUE;
    private long interval = POLL_MILLIS;
    private boolean started;

    StartupWatch(NewListenerPoll poll, AgentStart start, long windowMillis) {
        this.poll = poll;
        this.start = start;
        this.windowMillis = windowMillis;
    }

    static long windowFromProperty() {
        String value = System.getProperty(WINDOW_PROPERTY);
        if (value == null) {
            return DEFAULT_WINDOW_MILLIS;
        }
        try {
            return Math.max(0, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return DEFAULT_WINDOW_MILLIS;
        }
    }

    @Override
    public void run() {
        try {
            if (start.runtimeStarted()) {
                return; // a bind through a patched JDK class started it
            }
            if (!started) {
                started = true;
                deadline = System.nanoTime() + windowMillis * 1_000_000L;
            }
            long before = System.nanoTime();
            if (poll.sawNewListener()) {
                start.listenerSeen();
                return;
            }
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                start.hooksNow(false);
                return;
            }
            // From the cheapest look so far (a look the scheduler interrupted says nothing of its cost), and
            // growing at most twofold per look: the first looks run cold (class loading, interpreter).
            cheapest = Math.min(cheapest, now - before);
            interval = Math.min(interval * 2, Math.max(POLL_MILLIS, cheapest * MAX_COST_SHARE / 1_000_000L));
            start.queue().schedule(interval, this);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
