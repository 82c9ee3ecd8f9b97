package io.autoreg.agent.hook;

import java.util.function.Consumer;

/**
 * The agent's queue as the {@link HookRoute#SYSTEM_LOADER} route sees it: the inserted code finds this enum by name
 * through the system class loader, takes its one constant with {@link Class#getEnumConstants()} and hands it the
 * event — JDK types only, since the class it runs in cannot name the agent's classes. An enum because the JDK caches a
 * class's enum constants: once {@link #reachableFromSystemLoader} has asked for them, the hook's lookup is a dictionary
 * look-up of the system class loader's and an array clone, with no reflection on the application's bind.
 */
public enum HookEventSink implements Consumer<Object> {
    INSTANCE;

    /** This class's binary name, as the inserted code loads it. */
    static final String NAME = HookEventSink.class.getName();

    /** Null until asked; asked once per JVM (a class loaded meanwhile is the same answer). */
    private static volatile Boolean reachable;

    /** Never blocks and never throws: {@link HookEvents#offer}. */
    @Override
    public void accept(Object event) {
        HookEvents.offer(event);
    }

    /**
     * Whether the system class loader finds this very class; its enum constants are then cached, so that the first
     * bind does not pay the reflective call of {@code values()}. When the agent runs from the system class loader,
     * every hook needs the answer, and {@link ListenerHooks} asks before its transformer goes in; from the boot loader,
     * only a hook in a class of another loader does (Netty's native transports, rewritten on the agent's thread), and
     * the first such rewrite asks.
     */
    static boolean reachableFromSystemLoader() {
        Boolean known = reachable;
        if (known == null) {
            known = lookUp();
            reachable = known;
        }
        return known;
    }

    private static boolean lookUp() {
        try {
            Class<?> found = Class.forName(NAME, true, ClassLoader.getSystemClassLoader());
            return found == HookEventSink.class && found.getEnumConstants().length == 1;
        } catch (Throwable e) {
            // not there, or refused (a security manager): the system-properties route
            return false;
        }
    }
}
