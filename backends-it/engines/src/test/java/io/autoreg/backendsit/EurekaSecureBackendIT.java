package io.autoreg.backendsit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.core.internal.backend.eureka.EurekaRegistry;
import io.autoreg.core.internal.lifecycle.RefusedException;
import io.autoreg.core.internal.lifecycle.Registration;
import io.autoreg.core.internal.lifecycle.RegistrationManager;
import io.autoreg.core.internal.lifecycle.RegistrationState;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.core.internal.settings.HeartbeatSettings;
import io.autoreg.testing.Await;
import io.autoreg.testing.Http;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The eureka backend against a real Eureka server behind Spring Security's HTTP basic, the credentials given as
 * Spring Cloud users give them: in the service URL ({@code http://user:password@host/eureka}). The password holds
 * characters a URL must escape, so the server sees the decoded one only if the backend decodes it.
 */
class EurekaSecureBackendIT {

    private static final String USER = "registrar";
    private static final String PASSWORD = "p@ss:w0rd/é";
    /** The password as a URL's user info carries it. */
    private static final String ESCAPED_PASSWORD = "p%40ss%3Aw0rd%2F%C3%A9";

    private static final EurekaEngine EUREKA = EurekaEngine.withBasicAuth(USER, PASSWORD);

    @BeforeAll
    static void startEureka() throws Exception {
        EUREKA.start();
    }

    @AfterAll
    static void stopEureka() throws Exception {
        EUREKA.close();
    }

    private static String urlWith(String userInfo) {
        return EUREKA.url().replace("http://", "http://" + userInfo + "@");
    }

    private static EurekaRegistry backend(String url) {
        return new EurekaRegistry(TestBackends.settings(EurekaRegistry.TYPE, url, Map.of()));
    }

    private static JsonNode lookupQuietly(ServiceInstance instance) {
        try {
            return EUREKA.instanceNode(instance);
        } catch (IOException e) {
            return null;
        }
    }

    private static ServiceInstance instance(int port) {
        return new ServiceInstance("orders-basic-" + port, "orders-basic", "127.0.0.1", port, List.of(), Map.of());
    }

    @Test
    void theServerRefusesAnonymousCalls() {
        IOException refused = assertThrows(IOException.class, () -> new Http().getJson(EUREKA.url() + "/apps"));
        assertTrue(refused.getMessage().endsWith("-> 401"), refused.getMessage());
    }

    @Test
    void registersRenewsAndDeregistersWithTheCredentialsInTheUrl() throws Exception {
        ServiceInstance orders = instance(18190);
        HeartbeatSettings heartbeat =
                new HeartbeatSettings(Duration.ofSeconds(3), null, Duration.ofMillis(100), Duration.ofSeconds(1));
        try (RegistrationManager manager =
                new RegistrationManager(backend(urlWith(USER + ":" + ESCAPED_PASSWORD)), heartbeat)) {
            Registration registration = manager.register(orders);
            assertTrue(
                    registration.awaitState(RegistrationState.REGISTERED, Duration.ofSeconds(15)),
                    registration.toString());
            JsonNode seen = EUREKA.instanceNode(orders);
            assertNotNull(seen, "listed by Eureka");
            assertEquals("UP", seen.path("status").asText());
            assertEquals(18190, seen.path("port").path("$").asInt());

            // renewals (PUT) pass too: the instance stays past two lease durations
            Await.holdsFor(Duration.ofSeconds(7), "renewed with basic auth", () -> lookupQuietly(orders) != null);
            assertEquals(RegistrationState.REGISTERED, registration.state());

            registration.deregister(Duration.ofSeconds(5));
            assertNull(EUREKA.instanceNode(orders), "cancelled (DELETE) with basic auth");
        }
    }

    /**
     * The agent with the credentials in its registry URL: the core's reader takes the URL (the agent's own declines user
     * info), then the agent's light client speaks to Eureka with them as basic auth, and no line shows the password.
     */
    @Test
    void theAgentRegistersWithTheCredentialsInTheUrlThroughItsLightClient() throws Exception {
        try (SampleApp app = SampleApp.underAgent(
                EurekaRegistry.TYPE,
                urlWith(USER + ":" + ESCAPED_PASSWORD),
                "agent-basic",
                "agent-basic-eureka",
                Duration.ofSeconds(3),
                List.of("-Dautoreg.log.level=debug"))) {
            ServiceInstance instance = new ServiceInstance(
                    "agent-basic-eureka", "agent-basic", "127.0.0.1", app.awaitPort(), List.of(), Map.of());
            Await.until(
                    Duration.ofSeconds(15),
                    "agent-basic-eureka listed\n" + app.output(),
                    () -> lookupQuietly(instance) != null);
            Await.holdsFor(Duration.ofSeconds(7), "renewed with basic auth", () -> lookupQuietly(instance) != null);
            String output = app.output();
            assertTrue(output.contains("registry client for eureka: the agent's light client"), output);
            assertFalse(output.contains(PASSWORD) || output.contains(ESCAPED_PASSWORD), output);

            app.terminate();
            assertNull(lookupQuietly(instance), "cancelled with basic auth\n" + app.output());
        }
    }

    @Test
    void aWrongPasswordIsARefusalThatNeverShowsThePassword() {
        ServiceInstance orders = instance(18191);
        RefusedException refused = assertThrows(
                RefusedException.class,
                () -> backend(urlWith(USER + ":wrong-" + ESCAPED_PASSWORD)).register(orders, Duration.ofSeconds(3)));
        assertTrue(refused.getMessage().contains("401"), refused.getMessage());
        assertFalse(refused.getMessage().contains("wrong-"), refused.getMessage());
        assertFalse(refused.getMessage().contains(ESCAPED_PASSWORD), refused.getMessage());
    }

    @Test
    void withoutCredentialsTheBackendIsRefusedToo() {
        ServiceInstance orders = instance(18192);
        RefusedException refused = assertThrows(
                RefusedException.class, () -> backend(EUREKA.url()).register(orders, Duration.ofSeconds(3)));
        assertTrue(refused.getMessage().contains("401"), refused.getMessage());
    }
}
