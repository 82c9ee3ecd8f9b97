package io.autoreg.registry.clientit;

import io.autoreg.core.client.ServiceRegistryClient;
import io.autoreg.registry.RegistryServer;
import io.autoreg.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Small shared pieces of the client ITs: bounded waiting, an embedded server, a client for it. */
final class ClientItSupport {

    private ClientItSupport() {}

    /** An embedded, open registry on a free loopback port. */
    static RegistryServer openServer(Path dataDir) {
        return RegistryServer.builder()
                .bind("127.0.0.1")
                .port(0)
                .dataDir(dataDir)
                .build()
                .start();
    }

    static ServiceRegistryClient client(RegistryServer server, String tenant) {
        return ServiceRegistryClient.builder()
                .url(server.baseUrl() + "/v1.0/" + tenant)
                // 30 s per request: on a loaded CI machine one configuration PUT once took over 5 s (its
                // answer waits for the journal's fsync); a test that needs a short timeout builds its own client
                .timeouts(Duration.ofSeconds(1), Duration.ofSeconds(30))
                .build();
    }

    /** Bounded waiting: the one {@link Await} of autoreg-testing, under the name these ITs call. */
    static void await(Duration timeout, BooleanSupplier condition, String what) {
        Await.until(timeout, condition, what);
    }

    /** A condition that may throw (a client call), false on any exception. */
    interface Probe {
        boolean test() throws Exception;
    }

    static BooleanSupplier quietly(Probe probe) {
        return () -> {
            try {
                return probe.test();
            } catch (Exception e) {
                return false;
            }
        };
    }
}
