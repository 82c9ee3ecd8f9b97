package io.autoreg.backendsit;

import io.autoreg.core.internal.lifecycle.RegistrationManager;
import io.autoreg.core.internal.lifecycle.RegistryBackend;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.core.internal.settings.HeartbeatSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A child JVM that registers one instance through the lifecycle and keeps it alive until it is killed:
 * {@code Registrant <type> <url> <name> <id> <address> <port> <timeoutMillis>}. The tests kill it with
 * SIGKILL to show that the engine expires what a crashed process leaves behind.
 */
public final class Registrant {

    private Registrant() {}

    public static void main(String[] args) throws InterruptedException {
        RegistryBackend backend = TestBackends.create(TestBackends.settings(args[0], args[1], Map.of()));
        ServiceInstance instance =
                new ServiceInstance(args[3], args[2], args[4], Integer.parseInt(args[5]), List.of(), Map.of());
        HeartbeatSettings heartbeat = new HeartbeatSettings(
                Duration.ofMillis(Long.parseLong(args[6])), null, Duration.ofMillis(100), Duration.ofSeconds(1));
        RegistrationManager manager = new RegistrationManager(backend, heartbeat);
        manager.register(instance);
        System.out.println("registering " + instance);
        Thread.sleep(Long.MAX_VALUE); // the lifecycle's daemon thread does the work until SIGKILL
    }
}
