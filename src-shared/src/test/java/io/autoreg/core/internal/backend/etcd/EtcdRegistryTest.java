package io.autoreg.core.internal.backend.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoreg.core.internal.backend.http.ScriptedServer;
import io.autoreg.core.internal.lifecycle.RefusedException;
import io.autoreg.core.internal.lifecycle.RegistryBackend.Lease;
import io.autoreg.core.internal.model.ServiceInstance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The etcd v3 JSON gateway calls, against a scripted HTTP server (the real etcd runs in backends-it). */
class EtcdRegistryTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ServiceInstance ORDERS = new ServiceInstance(
            "orders-10.0.0.5-8080", "orders", "10.0.0.5", 8080, List.of("blue"), Map.of("version", "1.2"));
    private static final String NOT_FOUND_LEASE =
            "{\"error\":\"etcdserver: requested lease not found\",\"code\":5,\"message\":\"etcdserver: requested lease not found\"}";

    @RegisterExtension
    final ScriptedServer etcd = new ScriptedServer("etcd");

    private EtcdRegistry registry(String user, String password, Map<String, String> options) {
        return new EtcdRegistry(etcd.settings("etcd", "/", null, user, password, options));
    }

    private RecordedRequest next() throws InterruptedException {
        return etcd.next();
    }

    private static JsonNode body(RecordedRequest request) throws IOException {
        return MAPPER.readTree(request.getBody().readUtf8());
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    private static MockResponse ok(String json) {
        return new MockResponse()
                .setResponseCode(200)
                .setHeader("Content-Type", "application/json")
                .setBody(json);
    }

    @Test
    void registerGrantsALeaseOfThreeRenewalIntervalsAndPutsTheInstanceUnderIt() throws Exception {
        etcd.enqueue(ok("{\"header\":{\"revision\":\"1\"},\"ID\":\"7587869163563412740\",\"TTL\":\"72\"}"));
        etcd.enqueue(ok("{\"header\":{\"revision\":\"2\"}}"));

        Lease lease = registry(null, null, Map.of()).register(ORDERS, Duration.ofSeconds(30));

        RecordedRequest grant = next();
        assertEquals("POST", grant.getMethod());
        assertEquals("/v3/lease/grant", grant.getPath());
        // 30 s timeout -> the lifecycle keeps alive every 24 s -> lease TTL 72 s (keepalive at TTL/3).
        assertEquals(MAPPER.readTree("{\"TTL\":72}"), body(grant));
        RecordedRequest put = next();
        assertEquals("/v3/kv/put", put.getPath());
        JsonNode putBody = body(put);
        assertEquals(
                "/autoreg/services/orders/orders-10.0.0.5-8080",
                decode(putBody.get("key").asText()));
        assertEquals("7587869163563412740", putBody.get("lease").asText(), "64-bit ids stay decimal strings");
        assertEquals(
                MAPPER.readTree("""
                {"id":"orders-10.0.0.5-8080","name":"orders","address":"10.0.0.5","port":8080,
                 "tags":["blue"],"metadata":{"version":"1.2"}}"""),
                MAPPER.readTree(decode(putBody.get("value").asText())));
        assertNull(grant.getHeader("Authorization"));
        assertEquals(ORDERS, lease.instance());
    }

    @Test
    void thePrefixOptionChangesTheKey() throws Exception {
        etcd.enqueue(ok("{\"ID\":\"1\",\"TTL\":\"9\"}"));
        etcd.enqueue(ok("{}"));

        registry(null, null, Map.of("prefix", "/sd/")).register(ORDERS, Duration.ofSeconds(5));

        next();
        assertEquals(
                "/sd/orders/orders-10.0.0.5-8080",
                decode(body(next()).get("key").asText()));
    }

    @Test
    void renewSendsOneKeepaliveAndIsTrueWhileTheLeaseHasATtl() throws Exception {
        etcd.enqueue(ok("{\"result\":{\"header\":{},\"ID\":\"42\",\"TTL\":\"72\"}}"));

        assertTrue(registry(null, null, Map.of()).renew(new EtcdRegistry.EtcdLease(ORDERS, "42", 72)));

        RecordedRequest keepalive = next();
        assertEquals("/v3/lease/keepalive", keepalive.getPath());
        assertEquals(MAPPER.readTree("{\"ID\":\"42\"}"), body(keepalive));
    }

    @Test
    void renewIsFalseWhenTheKeepaliveAnswerHasNoTtl() throws Exception {
        // The gateway leaves zero values out: no TTL means TTL 0, the lease expired.
        etcd.enqueue(ok("{\"result\":{\"header\":{\"revision\":\"9\"},\"ID\":\"42\"}}"));
        etcd.enqueue(ok("{\"result\":{\"ID\":\"42\",\"TTL\":\"-1\"}}"));

        EtcdRegistry registry = registry(null, null, Map.of());
        assertFalse(registry.renew(new EtcdRegistry.EtcdLease(ORDERS, "42", 72)));
        assertFalse(registry.renew(new EtcdRegistry.EtcdLease(ORDERS, "42", 72)));
    }

    @Test
    void renewIsFalseWhenEtcdAnswersLeaseNotFound() throws Exception {
        etcd.enqueue(new MockResponse().setResponseCode(404).setBody(NOT_FOUND_LEASE));

        assertFalse(registry(null, null, Map.of()).renew(new EtcdRegistry.EtcdLease(ORDERS, "42", 72)));
    }

    @Test
    void renewThrowsWhenEtcdIsUnavailableSoTheLifecycleRetries() {
        etcd.enqueue(
                new MockResponse().setResponseCode(503).setBody("{\"error\":\"etcdserver: no leader\",\"code\":14}"));

        IOException down = assertThrows(
                IOException.class,
                () -> registry(null, null, Map.of()).renew(new EtcdRegistry.EtcdLease(ORDERS, "42", 72)));
        assertFalse(down instanceof RefusedException, down.toString());
    }

    private static MockResponse grpcError(int status, int code, String message) {
        return new MockResponse()
                .setResponseCode(status)
                .setHeader("Content-Type", "application/json")
                .setBody("{\"error\":\"" + message + "\",\"code\":" + code + ",\"message\":\"" + message + "\"}");
    }

    @Test
    void anInvalidArgumentIsARefusal() {
        etcd.enqueue(ok("{\"ID\":\"42\",\"TTL\":\"72\"}"));
        etcd.enqueue(grpcError(400, 3, "etcdserver: request is too large"));

        IOException refused = assertThrows(
                RefusedException.class, () -> registry(null, null, Map.of()).register(ORDERS, Duration.ofSeconds(30)));
        assertTrue(refused.getMessage().contains("request is too large"), refused.getMessage());
    }

    @Test
    void aUserWithoutPermissionOnThePrefixIsRefused() {
        etcd.enqueue(ok("{\"token\":\"tok-1\"}"));
        etcd.enqueue(ok("{\"ID\":\"42\",\"TTL\":\"72\"}"));
        etcd.enqueue(grpcError(403, 7, "etcdserver: permission denied"));

        assertThrows(
                RefusedException.class,
                () -> registry("autoreg", "pw", Map.of()).register(ORDERS, Duration.ofSeconds(30)));
    }

    @Test
    void aFullDatabaseIsARefusalButTooManyRequestsIsRetried() {
        etcd.enqueue(grpcError(429, 8, "etcdserver: mvcc: database space exceeded"));
        etcd.enqueue(grpcError(429, 8, "etcdserver: too many requests"));

        EtcdRegistry registry = registry(null, null, Map.of());
        assertThrows(RefusedException.class, () -> registry.register(ORDERS, Duration.ofSeconds(30)));
        IOException busy = assertThrows(IOException.class, () -> registry.register(ORDERS, Duration.ofSeconds(30)));
        assertFalse(busy instanceof RefusedException, busy.toString());
    }

    @Test
    void deregisterRevokesTheLeaseAndToleratesAnExpiredOne() throws Exception {
        etcd.enqueue(ok("{\"header\":{}}"));
        etcd.enqueue(new MockResponse().setResponseCode(404).setBody(NOT_FOUND_LEASE));

        EtcdRegistry registry = registry(null, null, Map.of());
        registry.deregister(new EtcdRegistry.EtcdLease(ORDERS, "42", 72));
        registry.deregister(new EtcdRegistry.EtcdLease(ORDERS, "42", 72));

        RecordedRequest revoke = next();
        assertEquals("/v3/lease/revoke", revoke.getPath());
        assertEquals(MAPPER.readTree("{\"ID\":\"42\"}"), body(revoke));
        assertEquals("/v3/lease/revoke", next().getPath());
    }

    @Test
    void withAUserItAuthenticatesOnceAndSendsTheTokenOnEveryCall() throws Exception {
        etcd.enqueue(ok("{\"header\":{},\"token\":\"tok-1\"}"));
        etcd.enqueue(ok("{\"ID\":\"42\",\"TTL\":\"72\"}"));
        etcd.enqueue(ok("{}"));
        etcd.enqueue(ok("{\"result\":{\"ID\":\"42\",\"TTL\":\"72\"}}"));

        EtcdRegistry registry = registry("autoreg", "pw", Map.of());
        Lease lease = registry.register(ORDERS, Duration.ofSeconds(30));
        assertTrue(registry.renew(lease));

        RecordedRequest authenticate = next();
        assertEquals("/v3/auth/authenticate", authenticate.getPath());
        assertEquals(MAPPER.readTree("{\"name\":\"autoreg\",\"password\":\"pw\"}"), body(authenticate));
        assertNull(authenticate.getHeader("Authorization"));
        assertEquals("tok-1", next().getHeader("Authorization"));
        assertEquals("tok-1", next().getHeader("Authorization"));
        assertEquals("tok-1", next().getHeader("Authorization"));
    }

    @Test
    void anExpiredTokenIsReplacedAndTheCallRetriedOnce() throws Exception {
        etcd.enqueue(ok("{\"token\":\"tok-1\"}"));
        etcd.enqueue(new MockResponse()
                .setResponseCode(401)
                .setBody("{\"error\":\"etcdserver: invalid auth token\",\"code\":16}"));
        etcd.enqueue(ok("{\"token\":\"tok-2\"}"));
        etcd.enqueue(ok("{\"result\":{\"ID\":\"42\",\"TTL\":\"72\"}}"));

        assertTrue(registry("autoreg", "pw", Map.of()).renew(new EtcdRegistry.EtcdLease(ORDERS, "42", 72)));

        assertEquals("/v3/auth/authenticate", next().getPath());
        assertEquals("tok-1", next().getHeader("Authorization"));
        assertEquals("/v3/auth/authenticate", next().getPath());
        RecordedRequest retried = next();
        assertEquals("/v3/lease/keepalive", retried.getPath());
        assertEquals("tok-2", retried.getHeader("Authorization"));
    }

    @Test
    void aFailedAuthenticationIsARefusalNamingTheUser() {
        etcd.enqueue(new MockResponse()
                .setResponseCode(400)
                .setBody("{\"error\":\"etcdserver: authentication failed, invalid user ID or password\",\"code\":3}"));

        IOException failed = assertThrows(
                RefusedException.class,
                () -> registry("autoreg", "wrong", Map.of()).register(ORDERS, Duration.ofSeconds(30)));
        assertTrue(failed.getMessage().contains("'autoreg'"), failed.getMessage());
    }

    @Test
    void leaseTtlIsThreeRenewalIntervalsInWholeSeconds() {
        assertEquals(72, EtcdRegistry.leaseTtlFor(Duration.ofSeconds(30)));
        assertEquals(18, EtcdRegistry.leaseTtlFor(Duration.ofSeconds(10)), "10 s -> 6 s interval");
        assertEquals(3, EtcdRegistry.leaseTtlFor(Duration.ofSeconds(3)), "3 s -> 1 s interval (T/3)");
    }
}
