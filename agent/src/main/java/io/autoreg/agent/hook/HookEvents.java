package io.autoreg.agent.hook;

import java.util.Queue;

/**
 * Where the hooks report. The hooks in the JDK's own classes call {@link #offer} directly when the agent's classes come
 * from the boot loader (the jar under its own name: docs/architecture.md, "Start-up path"); hooks in classes that
 * cannot name this one (Netty's native transports under an OSGi loader, every class when the agent runs from the
 * system class loader) reach it through {@link HookEventSink}; only where the system class loader does not find that
 * sink do they find the queue in the system properties ({@link ListenerHooks#QUEUE_KEY}), put there only when such a
 * hook is inserted: a non-String value there makes {@code System.getProperties().list()} and {@code .store()} throw in
 * the host ({@link HookRoute}).
 */
public final class HookEvents {

    /** Whether the JDK's classes can call this class: it was loaded by the boot loader. */
    static final boolean ON_BOOT_PATH = HookEvents.class.getClassLoader() == null;

    private static volatile Queue<Object> queue;

    private HookEvents() {}

    /**
     * Called by the inserted code: never blocks and never throws (the agent's queue is bounded and drops); a no-op
     * once the agent is off.
     */
    public static void offer(Object event) {
        Queue<Object> events = queue;
        if (events != null) {
            events.offer(event);
        }
    }

    static void publish(Queue<Object> events) {
        queue = events;
    }

    /**
     * Puts the queue in the system properties as well, for a hook about to be inserted in a class that cannot call
     * this one; idempotent, and a no-op before {@link #publish} (the agent's tests put their own queue there).
     */
    static void publishInSystemProperties(String key) {
        Queue<Object> events = queue;
        if (events != null) {
            System.getProperties().putIfAbsent(key, events);
        }
    }

    /** Stops reporting: inserted code then drops its events. */
    static void withdraw(String key) {
        queue = null;
        System.getProperties().remove(key);
    }
}
