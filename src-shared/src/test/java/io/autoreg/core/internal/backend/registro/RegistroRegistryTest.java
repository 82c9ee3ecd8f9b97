package io.autoreg.core.internal.backend.registro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoreg.core.internal.backend.http.ScriptedServer;
import io.autoreg.core.internal.lifecycle.RefusedException;
import io.autoreg.core.internal.lifecycle.RegistryBackend.Lease;
import io.autoreg.core.internal.model.ServiceInstance;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The requests of the registro backend and how it reads each answer of Registro (mscansian/registro), with
 * a scripted server; backends-it runs it through the lifecycle against a double that holds to every rule
 * of Registro, and against the registry server's dialect.
 */
class RegistroRegistryTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ServiceInstance ORDERS = new ServiceInstance(
            "orders-10.0.0.5-8080", "orders", "10.0.0.5", 8080, List.of("blue"), Map.of("version", "1.2"));
    private static final Lease LEASE = new RegistroRegistry.RegistroLease(ORDERS, ORDERS.id());

    @RegisterExtension
    final ScriptedServer server = new ScriptedServer("the Registro server");

    private RegistroRegistry registry(String token) {
        return new RegistroRegistry(server.settings("registro", "/registro/1.0", token, null, null, Map.of()));
    }

    private RecordedRequest next() throws InterruptedException {
        return server.next();
    }

    @Test
    void registerCreatesTheAppThenTheInstanceAndRenewsItAtOnceSoItIsUp() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(201));
        server.enqueue(new MockResponse().setResponseCode(201));
        server.enqueue(new MockResponse().setResponseCode(204));

        Lease lease = registry("tok").register(ORDERS, Duration.ofSeconds(30));

        RecordedRequest app = next();
        assertEquals("POST", app.getMethod());
        assertEquals("/registro/1.0/apps", app.getPath());
        assertEquals(
                MAPPER.readTree("{\"name\":\"orders\"}"),
                MAPPER.readTree(app.getBody().readUtf8()));
        assertEquals("tok", app.getHeader("X-Auth-Token"));
        RecordedRequest instance = next();
        assertEquals("POST", instance.getMethod());
        assertEquals("/registro/1.0/apps/orders", instance.getPath());
        assertEquals(
                MAPPER.readTree("{\"id\":\"orders-10.0.0.5-8080\",\"ip\":\"10.0.0.5\",\"port\":8080}"),
                MAPPER.readTree(instance.getBody().readUtf8()));
        assertEquals("tok", instance.getHeader("X-Auth-Token"));
        // Registro lists a new instance as "starting" until its first renewal: renewed before register returns
        RecordedRequest renew = next();
        assertEquals("PUT", renew.getMethod());
        assertEquals("/registro/1.0/apps/orders/orders-10.0.0.5-8080", renew.getPath());
        assertEquals(ORDERS.id(), ((RegistroRegistry.RegistroLease) lease).registroId());
    }

    @Test
    void anExistingAppIsNotAnError() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(409));
        server.enqueue(new MockResponse().setResponseCode(201));
        server.enqueue(new MockResponse().setResponseCode(204));

        registry(null).register(ORDERS, Duration.ofSeconds(30));

        assertNull(next().getHeader("X-Auth-Token"));
        assertEquals("/registro/1.0/apps/orders", next().getPath());
    }

    @Test
    void aFirstRenewalThatFailsFailsTheRegistrationSoTheLifecycleRetries() {
        server.enqueue(new MockResponse().setResponseCode(409));
        server.enqueue(new MockResponse().setResponseCode(201));
        server.enqueue(new MockResponse().setResponseCode(403));

        assertThrows(IOException.class, () -> registry(null).register(ORDERS, Duration.ofSeconds(30)));
    }

    private static MockResponse entry(String ip, int port, String status) {
        return new MockResponse()
                .setResponseCode(200)
                .setBody("{\n  \"id\": \"x\",\n  \"ip\": \"" + ip + "\",\n  \"port\": " + port + ",\n  \"status\": \""
                        + status + "\",\n  \"lastRenewal\": 1\n}\n");
    }

    @Test
    void anEntryOfOursThatIsNotOutOfServiceIsTakenOverByRenewingIt() throws Exception {
        for (String status : List.of("starting", "up", "down")) {
            server.enqueue(new MockResponse().setResponseCode(409));
            server.enqueue(new MockResponse().setResponseCode(409));
            server.enqueue(entry("10.0.0.5", 8080, status));
            server.enqueue(new MockResponse().setResponseCode(204));

            Lease lease = registry(null).register(ORDERS, Duration.ofSeconds(30));

            next();
            next();
            RecordedRequest read = next();
            assertEquals("GET", read.getMethod());
            assertEquals("/registro/1.0/apps/orders/orders-10.0.0.5-8080", read.getPath());
            RecordedRequest renew = next();
            assertEquals("PUT", renew.getMethod(), status);
            assertEquals("/registro/1.0/apps/orders/orders-10.0.0.5-8080", renew.getPath());
            assertEquals(ORDERS.id(), ((RegistroRegistry.RegistroLease) lease).registroId());
        }
    }

    @Test
    void anOutOfServiceEntryIsLeftAloneAndTheNextIdRegistered() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(409));
        server.enqueue(new MockResponse().setResponseCode(409));
        server.enqueue(entry("10.0.0.5", 8080, "out-of-service"));
        server.enqueue(new MockResponse().setResponseCode(201));
        server.enqueue(new MockResponse().setResponseCode(204));

        RegistroRegistry registry = registry(null);
        Lease lease = registry.register(ORDERS, Duration.ofSeconds(30));

        next();
        next();
        next();
        RecordedRequest alternative = next();
        assertEquals("POST", alternative.getMethod());
        assertEquals(
                MAPPER.readTree("{\"id\":\"orders-10.0.0.5-8080_2\",\"ip\":\"10.0.0.5\",\"port\":8080}"),
                MAPPER.readTree(alternative.getBody().readUtf8()));
        assertEquals("/registro/1.0/apps/orders/orders-10.0.0.5-8080_2", next().getPath());
        assertEquals(ORDERS, lease.instance());

        server.enqueue(new MockResponse().setResponseCode(204));
        server.enqueue(new MockResponse().setResponseCode(204));
        assertTrue(registry.renew(lease));
        registry.deregister(lease);
        assertEquals("PUT /registro/1.0/apps/orders/orders-10.0.0.5-8080_2", line(next()));
        assertEquals("DELETE /registro/1.0/apps/orders/orders-10.0.0.5-8080_2", line(next()));
    }

    @Test
    void anEntryWithAnotherAddressIsLeftAloneAndTheNextIdRegistered() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(409));
        server.enqueue(new MockResponse().setResponseCode(409));
        server.enqueue(entry("10.0.0.5", 8081, "up"));
        server.enqueue(new MockResponse().setResponseCode(409));
        server.enqueue(entry("10.0.0.6", 8080, "down"));
        server.enqueue(new MockResponse().setResponseCode(201));
        server.enqueue(new MockResponse().setResponseCode(204));

        Lease lease = registry(null).register(ORDERS, Duration.ofSeconds(30));

        assertEquals("orders-10.0.0.5-8080_3", ((RegistroRegistry.RegistroLease) lease).registroId());
        List<String> lines = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            lines.add(line(next()));
        }
        assertEquals(
                List.of(
                        "POST /registro/1.0/apps",
                        "POST /registro/1.0/apps/orders",
                        "GET /registro/1.0/apps/orders/orders-10.0.0.5-8080",
                        "POST /registro/1.0/apps/orders",
                        "GET /registro/1.0/apps/orders/orders-10.0.0.5-8080_2",
                        "POST /registro/1.0/apps/orders",
                        "PUT /registro/1.0/apps/orders/orders-10.0.0.5-8080_3"),
                lines,
                "no renewal of an entry that is not ours");
    }

    @Test
    void anEntryRemovedBetweenPostAndGetIsRegisteredAgain() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(409));
        server.enqueue(new MockResponse().setResponseCode(409));
        server.enqueue(new MockResponse().setResponseCode(404));
        server.enqueue(new MockResponse().setResponseCode(201));
        server.enqueue(new MockResponse().setResponseCode(204));

        Lease lease = registry(null).register(ORDERS, Duration.ofSeconds(30));

        assertEquals(ORDERS.id(), ((RegistroRegistry.RegistroLease) lease).registroId());
    }

    @Test
    void anEntryThatWentOutOfServiceBeforeOurRenewalIsLeftAlone() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(409));
        server.enqueue(new MockResponse().setResponseCode(409));
        server.enqueue(entry("10.0.0.5", 8080, "up"));
        server.enqueue(new MockResponse().setResponseCode(403));
        server.enqueue(new MockResponse().setResponseCode(201));
        server.enqueue(new MockResponse().setResponseCode(204));

        Lease lease = registry(null).register(ORDERS, Duration.ofSeconds(30));

        assertEquals("orders-10.0.0.5-8080_2", ((RegistroRegistry.RegistroLease) lease).registroId());
    }

    @Test
    void whenEveryIdIsHeldTheRegistrationFailsSoTheLifecycleRetries() {
        server.enqueue(new MockResponse().setResponseCode(409));
        for (int i = 0; i < RegistroRegistry.MAX_IDS; i++) {
            server.enqueue(new MockResponse().setResponseCode(409));
            server.enqueue(entry("10.0.0.5", 8080, "out-of-service"));
        }

        IOException held =
                assertThrows(IOException.class, () -> registry(null).register(ORDERS, Duration.ofSeconds(30)));

        assertTrue(held.getMessage().contains("orders-10.0.0.5-8080_" + RegistroRegistry.MAX_IDS), held.getMessage());
        assertEquals(1 + 2 * RegistroRegistry.MAX_IDS, server.getRequestCount(), "no more than the ids allowed");
    }

    @Test
    void aMissingFieldIsARefusalThatNoRetryGetsPast() {
        server.enqueue(new MockResponse().setResponseCode(201));
        server.enqueue(new MockResponse().setResponseCode(400).setBody("{\"error\":\"ip is required\"}"));

        IOException bad =
                assertThrows(RefusedException.class, () -> registry(null).register(ORDERS, Duration.ofSeconds(30)));
        assertTrue(bad.getMessage().contains("400"), bad.getMessage());
    }

    @Test
    void aValueOverTheServersLimitIsARefusal() {
        server.enqueue(new MockResponse().setResponseCode(201));
        server.enqueue(
                new MockResponse()
                        .setResponseCode(400)
                        .setBody(
                                "{\"type\":\"badRequest\",\"code\":400,"
                                        + "\"message\":\"Validation error for key 'id'\",\"details\":\"String is not in range (1..255)\"}"));

        IOException bad =
                assertThrows(RefusedException.class, () -> registry(null).register(ORDERS, Duration.ofSeconds(30)));
        assertTrue(bad.getMessage().contains("String is not in range"), bad.getMessage());
    }

    @Test
    void aTokenOfAnotherTenantIsARefusal() {
        server.enqueue(new MockResponse().setResponseCode(403).setBody("{\"type\":\"forbiddenError\",\"code\":403}"));

        assertThrows(RefusedException.class, () -> registry("tok").register(ORDERS, Duration.ofSeconds(30)));
    }

    @Test
    void aRateLimitAndAnOutageAreRetriedAsUsual() {
        server.enqueue(new MockResponse()
                .setResponseCode(429)
                .setHeader("Retry-After", "3")
                .setBody("{\"type\":\"rateLimitReached\",\"code\":429}"));
        server.enqueue(new MockResponse().setResponseCode(503).setBody("{\"type\":\"systemFailureError\"}"));

        IOException limited =
                assertThrows(IOException.class, () -> registry(null).register(ORDERS, Duration.ofSeconds(30)));
        assertFalse(limited instanceof RefusedException, limited.toString());
        IOException down = assertThrows(IOException.class, () -> registry(null).renew(LEASE));
        assertFalse(down instanceof RefusedException, down.toString());
    }

    @Test
    void renewPutsTheInstanceAndIsFalseOn404() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(204));
        server.enqueue(new MockResponse().setResponseCode(404));

        RegistroRegistry registry = registry(null);
        assertTrue(registry.renew(LEASE));
        assertFalse(registry.renew(LEASE));

        RecordedRequest renew = next();
        assertEquals("PUT", renew.getMethod());
        assertEquals("/registro/1.0/apps/orders/orders-10.0.0.5-8080", renew.getPath());
    }

    @Test
    void renewOfAnInstanceMarkedOutOfServiceIsARefusal() {
        // Someone took it out of service: our renewals must not bring it back up; Registro drops the
        // entry 10 minutes later, and then renew answers 404 and the lifecycle registers again.
        server.enqueue(new MockResponse().setResponseCode(403));

        assertThrows(RefusedException.class, () -> registry(null).renew(LEASE));
    }

    @Test
    void deregisterDeletesTheInstanceAndToleratesAnUnknownOne() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(204));
        server.enqueue(new MockResponse().setResponseCode(404));

        RegistroRegistry registry = registry(null);
        registry.deregister(LEASE);
        registry.deregister(LEASE);

        RecordedRequest delete = next();
        assertEquals("DELETE", delete.getMethod());
        assertEquals("/registro/1.0/apps/orders/orders-10.0.0.5-8080", delete.getPath());
    }

    private static String line(RecordedRequest request) {
        return request.getMethod() + " " + request.getPath();
    }
}
