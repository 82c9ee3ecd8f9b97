package io.autoreg.agent.hook;

/**
 * Posted to the agent's queue (from inside the transformer, on the loading thread) when the
 * application loads a hooked class: the agent retransforms it on its own thread, then catches up on
 * binds from {@code /proc}. A plain class rather than a lambda: nothing may need spinning up inside
 * a transformer.
 *
 * @param internalName the class, {@code sun/nio/ch/ServerSocketChannelImpl}
 * @param loader       its defining loader, null for the boot loader
 */
public record LateHookRequest(String internalName, ClassLoader loader) {}
