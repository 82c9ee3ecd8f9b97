package io.autoreg.agent.lite;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.core.internal.backend.serviceregistry.ServiceRegistryBackend;
import io.autoreg.core.internal.lifecycle.RefusedException;
import io.autoreg.core.internal.lifecycle.RegistryBackend;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.core.internal.settings.RegistrySettings;
import io.autoreg.registry.RegistryServer;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both service-registry backends (the agent's fast path and the core's) against the real registry with a
 * quota of two services: what no retry can fix is a {@link RefusedException}, which the lifecycle retries
 * slowly after one error line; what a retry fixes stays a plain IOException.
 */
class RegistryRefusalTest {

    private static RegistryServer server;
    private static int tenants;

    @BeforeAll
    static void start() throws IOException {
        server = RegistryServer.builder()
                .port(0)
                .bind("127.0.0.1")
                .dataDir(Files.createTempDirectory("autoreg-refusal"))
                .config("autoreg.server { quotas { service = 2 } }")
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static RegistryBackend backend(String kind) {
        RegistrySettings settings = new RegistrySettings(
                "service-registry",
                "http://127.0.0.1:" + server.port() + "/v1.0/refusal" + (++tenants),
                null,
                null,
                null,
                null,
                Duration.ofSeconds(1),
                Duration.ofSeconds(5),
                new RegistrySettings.TlsSettings(null, null, null),
                Map.of());
        return kind.equals("lite") ? new LiteServiceRegistryBackend(settings) : new ServiceRegistryBackend(settings);
    }

    private static ServiceInstance instance(String id, int metadataPairs) {
        Map<String, String> metadata = new LinkedHashMap<>();
        for (int i = 0; i < metadataPairs; i++) {
            metadata.put("k" + i, "v");
        }
        return new ServiceInstance(id, "refusal", "127.0.0.1", 8080, List.of(), metadata);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lite", "core"})
    void aFullQuotaIsARefusal(String kind) throws IOException {
        try (RegistryBackend backend = backend(kind)) {
            backend.register(instance("svc-1", 0), Duration.ofSeconds(30));
            backend.register(instance("svc-2", 0), Duration.ofSeconds(30));
            RefusedException refused = assertThrows(
                    RefusedException.class, () -> backend.register(instance("svc-3", 0), Duration.ofSeconds(30)));
            assertTrue(refused.getMessage().contains("limitReached"), refused.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lite", "core"})
    void moreMetadataThanTheRegistryTakesIsARefusal(String kind) {
        try (RegistryBackend backend = backend(kind)) {
            // the name travels as a 21st pair
            RefusedException refused = assertThrows(
                    RefusedException.class, () -> backend.register(instance("svc-1", 20), Duration.ofSeconds(30)));
            assertTrue(refused.getMessage().contains("400"), refused.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lite", "core"})
    void anIdWhoseEntryHasNotExpiredYetIsNoRefusal(String kind) throws IOException {
        try (RegistryBackend backend = backend(kind)) {
            backend.register(instance("svc-1", 0), Duration.ofSeconds(30));
            IOException stillThere = assertThrows(
                    IOException.class, () -> backend.register(instance("svc-1", 0), Duration.ofSeconds(30)));
            assertFalse(stillThere instanceof RefusedException, "the stale entry expires: " + stillThere);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lite", "core"})
    void anUnreachableRegistryIsNoRefusal(String kind) {
        RegistrySettings settings = new RegistrySettings(
                "service-registry",
                "http://127.0.0.1:1/v1.0/x",
                null,
                null,
                null,
                null,
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                new RegistrySettings.TlsSettings(null, null, null),
                Map.of());
        try (RegistryBackend backend =
                kind.equals("lite") ? new LiteServiceRegistryBackend(settings) : new ServiceRegistryBackend(settings)) {
            IOException e = assertThrows(
                    IOException.class, () -> backend.register(instance("svc-1", 0), Duration.ofSeconds(30)));
            assertFalse(e instanceof RefusedException, e.toString());
        }
    }
}
