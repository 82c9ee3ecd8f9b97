package io.autoreg.agent.hook;

/**
 * How the code inserted into a hooked class reaches the agent's queue; chosen per class as it is rewritten
 * ({@link #of}). The inserted code stays straight-line in every route: no branch, no exception handler, no new local,
 * so the class's stack map frames stay valid (ExitEventInserter says why).
 */
enum HookRoute {
    /** {@code HookEvents.offer(event)}: a class of the boot loader, the agent's classes there too (its own jar name). */
    DIRECT,
    /**
     * The agent's {@link HookEventSink}, looked up by name through the system class loader, which every class may
     * call: a class that cannot name the agent's classes (the JDK's, when the agent runs from the system class loader
     * — a renamed jar, {@code attach} — or Netty's native transports under a class loader that does not delegate to
     * the agent's) reaches it so, and nothing of the agent's goes into the host's system properties.
     */
    SYSTEM_LOADER,
    /**
     * The queue in the system properties under a private key: the last resort, where the system class loader does not
     * find the agent's sink (an application's own system class loader that does not delegate to the one the agent is
     * on). A non-String value there makes the host's {@code System.getProperties().list()} and {@code store()} throw.
     */
    SYSTEM_PROPERTIES;

    /**
     * @param loader the hooked class's defining loader, null for the boot loader
     */
    static HookRoute of(ClassLoader loader) {
        if (loader == null && HookEvents.ON_BOOT_PATH) {
            return DIRECT;
        }
        return HookEventSink.reachableFromSystemLoader() ? SYSTEM_LOADER : SYSTEM_PROPERTIES;
    }
}
