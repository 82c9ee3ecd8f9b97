package io.autoreg.core.internal.backend.eureka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Eureka's REST calls against a scripted server (a real Eureka server runs in backends-it). */
class EurekaRegistryTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ServiceInstance ORDERS = new ServiceInstance(
            "orders-10.0.0.5-8080", "orders", "10.0.0.5", 8080, List.of("blue", "v2"), Map.of("version", "1.2"));
    private static final Lease LEASE = new EurekaRegistry.EurekaLease(ORDERS);

    @RegisterExtension
    final ScriptedServer eureka = new ScriptedServer("Eureka");

    private EurekaRegistry registry;

    @BeforeEach
    void start() {
        registry = new EurekaRegistry(eureka.settings("eureka", "/eureka/", null, null, null, Map.of()));
    }

    private RecordedRequest next() throws InterruptedException {
        return eureka.next();
    }

    @Test
    void aRejectedInstanceDocumentIsARefusalAndAnUnavailableServerIsNot() {
        eureka.enqueue(new MockResponse().setResponseCode(400).setBody("bad instance"));
        eureka.enqueue(new MockResponse().setResponseCode(503));

        RefusedException refused =
                assertThrows(RefusedException.class, () -> registry.register(ORDERS, Duration.ofSeconds(30)));
        assertTrue(refused.getMessage().contains("answered 400"), refused.getMessage());
        IOException unavailable =
                assertThrows(IOException.class, () -> registry.register(ORDERS, Duration.ofSeconds(30)));
        assertFalse(unavailable instanceof RefusedException, unavailable.toString());
    }

    @Test
    void registerPostsTheFullInstanceUnderTheUpperCasedAppName() throws Exception {
        eureka.enqueue(new MockResponse().setResponseCode(204));

        registry.register(ORDERS, Duration.ofSeconds(30));

        RecordedRequest request = next();
        assertEquals("POST", request.getMethod());
        assertEquals("/eureka/apps/ORDERS", request.getPath());
        assertTrue(request.getHeader("Content-Type").startsWith("application/json"));
        JsonNode expected = MAPPER.readTree("""
                {"instance":{
                  "instanceId":"orders-10.0.0.5-8080","hostName":"10.0.0.5","app":"ORDERS","ipAddr":"10.0.0.5",
                  "vipAddress":"orders","secureVipAddress":"orders","status":"UP",
                  "homePageUrl":"http://10.0.0.5:8080/","statusPageUrl":"http://10.0.0.5:8080/",
                  "healthCheckUrl":"http://10.0.0.5:8080/",
                  "port":{"$":8080,"@enabled":"true"},"securePort":{"$":443,"@enabled":"false"},
                  "dataCenterInfo":{"@class":"com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo","name":"MyOwn"},
                  "leaseInfo":{"renewalIntervalInSecs":24,"durationInSecs":30},
                  "metadata":{"version":"1.2","tags":"blue,v2"}}}""");
        assertEquals(expected, MAPPER.readTree(request.getBody().readUtf8()));
    }

    @Test
    void anIpv6AddressIsBracketedInTheUrls() {
        ServiceInstance v6 = new ServiceInstance("orders-v6", "orders", "::1", 8080, List.of(), Map.of());

        JsonNode instance =
                EurekaRegistry.instanceJson(v6, Duration.ofSeconds(30)).get("instance");

        assertEquals("http://[::1]:8080/", instance.get("homePageUrl").asText());
        assertEquals("::1", instance.get("ipAddr").asText());
    }

    @Test
    void registerThrowsOnAServerError() {
        eureka.enqueue(new MockResponse().setResponseCode(500));

        assertThrows(IOException.class, () -> registry.register(ORDERS, Duration.ofSeconds(30)));
    }

    @Test
    void renewPutsTheInstanceAndIsTrueOn200() throws Exception {
        eureka.enqueue(new MockResponse().setResponseCode(200));

        assertTrue(registry.renew(LEASE));

        RecordedRequest request = next();
        assertEquals("PUT", request.getMethod());
        assertEquals("/eureka/apps/ORDERS/orders-10.0.0.5-8080", request.getPath());
    }

    @Test
    void renewIsFalseOn404SoTheLifecycleRegistersAgain() throws Exception {
        eureka.enqueue(new MockResponse().setResponseCode(404));

        assertFalse(registry.renew(LEASE));
    }

    @Test
    void renewThrowsOnOtherFailures() {
        eureka.enqueue(new MockResponse().setResponseCode(503));

        assertThrows(IOException.class, () -> registry.renew(LEASE));
    }

    @Test
    void drainSetsTheStatusOutOfService() throws Exception {
        eureka.enqueue(new MockResponse().setResponseCode(200));

        assertTrue(registry.supportsDrain());
        registry.markOutOfService(LEASE);

        RecordedRequest request = next();
        assertEquals("PUT", request.getMethod());
        assertEquals("/eureka/apps/ORDERS/orders-10.0.0.5-8080/status?value=OUT_OF_SERVICE", request.getPath());
    }

    @Test
    void deregisterCancelsTheLeaseAndToleratesAnUnknownInstance() throws Exception {
        eureka.enqueue(new MockResponse().setResponseCode(200));
        eureka.enqueue(new MockResponse().setResponseCode(404));

        registry.deregister(LEASE);
        registry.deregister(LEASE);

        RecordedRequest request = next();
        assertEquals("DELETE", request.getMethod());
        assertEquals("/eureka/apps/ORDERS/orders-10.0.0.5-8080", request.getPath());
        assertEquals("DELETE", next().getMethod());
    }

    @Test
    void deregisterThrowsOnAServerError() {
        eureka.enqueue(new MockResponse().setResponseCode(500));

        assertThrows(IOException.class, () -> registry.deregister(LEASE));
    }
}
