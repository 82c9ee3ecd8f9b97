package io.autoreg.agent.register;

import io.autoreg.core.internal.lifecycle.RegistrationManager;
import io.autoreg.core.internal.log.Log;

/**
 * Deregisters on graceful stop (SIGTERM, {@code System.exit}): a shutdown hook that stops new
 * registrations, optionally drains, and deregisters everything within
 * {@code autoreg.agent.shutdown-timeout}, so a dead registry never hangs the JVM's exit.
 */
final class ShutdownDeregistration {

    private ShutdownDeregistration() {}

    static void install(AgentRegistrar registrar, RegistrationManager manager, AgentSettings settings) {
        Thread hook = new Thread(
                new Runnable() { // not a lambda: installed on the start-up path
                    @Override
                    public void run() {
                        registrar.shuttingDown();
                        try {
                            manager.deregisterAll(settings.drain(), settings.shutdownTimeout());
                        } catch (RuntimeException e) {
                            Log.warn("deregistration at shutdown failed", e);
                        }
                    }
                },
                "autoreg-shutdown");
        try {
            Runtime.getRuntime().addShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: nothing was registered for long, the registry's expiry covers it
        }
    }
}
