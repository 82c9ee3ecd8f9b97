package io.autoreg.core.backend.registro;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoreg.core.backend.RegistryBackend.Lease;
import io.autoreg.core.model.ServiceInstance;
import io.autoreg.core.settings.RegistrySettings;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Registro dialect (spec §9) against a scripted server (the real registry runs in backends-it). */
class RegistroRegistryTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ServiceInstance ORDERS = new ServiceInstance("orders-10.0.0.5-8080", "orders", "10.0.0.5",
            8080, List.of("blue"), Map.of("version", "1.2"));
    private static final Lease LEASE = new RegistroRegistry.RegistroLease(ORDERS);

    private MockWebServer server;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    private RegistroRegistry registry(String token) {
        return new RegistroRegistry(new RegistrySettings("registro", server.url("/registro/1.0").toString(), token,
                null, null, null, Duration.ofSeconds(2), Duration.ofSeconds(5),
                new RegistrySettings.TlsSettings(null, null, null), Map.of()));
    }

    private RecordedRequest next() throws InterruptedException {
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertNotNull(request, "expected a request to the Registro server");
        return request;
    }

    @Test
    void registerCreatesTheAppThenTheInstance() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(201));
        server.enqueue(new MockResponse().setResponseCode(201));

        registry("tok").register(ORDERS, Duration.ofSeconds(30));

        RecordedRequest app = next();
        assertEquals("POST", app.getMethod());
        assertEquals("/registro/1.0/apps", app.getPath());
        assertEquals(MAPPER.readTree("{\"name\":\"orders\"}"), MAPPER.readTree(app.getBody().readUtf8()));
        assertEquals("tok", app.getHeader("X-Auth-Token"));
        RecordedRequest instance = next();
        assertEquals("POST", instance.getMethod());
        assertEquals("/registro/1.0/apps/orders", instance.getPath());
        assertEquals(MAPPER.readTree("{\"id\":\"orders-10.0.0.5-8080\",\"ip\":\"10.0.0.5\",\"port\":8080}"),
                MAPPER.readTree(instance.getBody().readUtf8()));
        assertEquals("tok", instance.getHeader("X-Auth-Token"));
    }

    @Test
    void anExistingAppIsNotAnError() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(409));
        server.enqueue(new MockResponse().setResponseCode(201));

        registry(null).register(ORDERS, Duration.ofSeconds(30));

        assertNull(next().getHeader("X-Auth-Token"));
        assertEquals("/registro/1.0/apps/orders", next().getPath());
    }

    @Test
    void anExistingInstanceOfOursIsTakenOverByRenewingIt() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(409));
        server.enqueue(new MockResponse().setResponseCode(409));
        server.enqueue(new MockResponse().setResponseCode(204));

        registry(null).register(ORDERS, Duration.ofSeconds(30));

        next();
        next();
        RecordedRequest renew = next();
        assertEquals("PUT", renew.getMethod());
        assertEquals("/registro/1.0/apps/orders/orders-10.0.0.5-8080", renew.getPath());
    }

    @Test
    void anExistingOutOfServiceInstanceFailsTheRegistrationSoTheLifecycleRetries() {
        server.enqueue(new MockResponse().setResponseCode(409));
        server.enqueue(new MockResponse().setResponseCode(409));
        server.enqueue(new MockResponse().setResponseCode(403));

        assertThrows(IOException.class, () -> registry(null).register(ORDERS, Duration.ofSeconds(30)));
    }

    @Test
    void aMissingFieldIsAnError() {
        server.enqueue(new MockResponse().setResponseCode(201));
        server.enqueue(new MockResponse().setResponseCode(400).setBody("{\"error\":\"ip is required\"}"));

        IOException bad = assertThrows(IOException.class, () -> registry(null).register(ORDERS, Duration.ofSeconds(30)));
        assertTrue(bad.getMessage().contains("400"), bad.getMessage());
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
    void renewOfAnInstanceMarkedOutOfServiceThrows() {
        server.enqueue(new MockResponse().setResponseCode(403));

        assertThrows(IOException.class, () -> registry(null).renew(LEASE));
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
}
