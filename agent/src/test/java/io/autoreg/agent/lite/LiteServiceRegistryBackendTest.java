package io.autoreg.agent.lite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.agent.testing.RegistryFixture;
import io.autoreg.core.internal.lifecycle.RegistryBackend;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.core.internal.settings.RegistrySettings;
import io.autoreg.testing.AnswerDroppingProxy;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fast path's client against the real registry server (in process, loopback). */
class LiteServiceRegistryBackendTest {

    private static RegistryFixture registry;

    @BeforeAll
    static void start() {
        registry = RegistryFixture.start();
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    private static LiteServiceRegistryBackend backend(String url) {
        return new LiteServiceRegistryBackend(new RegistrySettings(
                "service-registry",
                url,
                null,
                null,
                null,
                null,
                Duration.ofSeconds(1),
                Duration.ofSeconds(2),
                new RegistrySettings.TlsSettings(null, null, null),
                Map.of()));
    }

    private static RegistrySettings settings(
            String type, String url, String token, String username, RegistrySettings.TlsSettings tls) {
        return new RegistrySettings(
                type, url, token, username, null, null, Duration.ofSeconds(1), Duration.ofSeconds(2), tls, Map.of());
    }

    /** Settings the core's reader read (a config file) go to this client only when it speaks to the registry alike. */
    @Test
    void servesPlainHttpServiceRegistryWithAtMostAStaticToken() {
        RegistrySettings.TlsSettings noTls = new RegistrySettings.TlsSettings(null, null, null);
        String url = "http://127.0.0.1:8080/v1.0/default";
        assertTrue(LiteServiceRegistryBackend.serves(settings("service-registry", url, null, null, noTls)));
        assertTrue(LiteServiceRegistryBackend.serves(settings("service-registry", url, "t0ken", null, noTls)));
        assertTrue(LiteServiceRegistryBackend.serves(settings("service-registry", url, null, null, null)));
        assertFalse(LiteServiceRegistryBackend.serves(settings("etcd", "http://127.0.0.1:2379", null, null, noTls)));
        assertFalse(LiteServiceRegistryBackend.serves(
                settings("service-registry", "https://127.0.0.1:8443/v1.0/default", null, null, noTls)));
        assertFalse(LiteServiceRegistryBackend.serves(
                settings("service-registry", "http://u:p@127.0.0.1:8080/v1.0/default", null, null, noTls)));
        assertFalse(LiteServiceRegistryBackend.serves(settings("service-registry", url, null, "user", noTls)));
        assertFalse(LiteServiceRegistryBackend.serves(settings(
                "service-registry", url, null, null, new RegistrySettings.TlsSettings("/etc/ca.pem", null, null))));
        assertFalse(LiteServiceRegistryBackend.serves(settings("service-registry", "not a url", null, null, noTls)));
    }

    private static ServiceInstance instance(String id) {
        return new ServiceInstance(
                id, "lite", "127.0.0.1", 8080, List.of("t1"), Map.of("port", "8080", "quote", "a\"b\\c"));
    }

    @Test
    void registersRenewsWithTheRotatedTokenAndDeregistersIdempotently() throws IOException {
        LiteServiceRegistryBackend backend = backend(registry.apiUrl());
        RegistryBackend.Lease lease = backend.register(instance("lite-1"), Duration.ofSeconds(7));
        var stored = registry.serviceNamed("lite").orElseThrow();
        assertEquals(7, stored.path("heartbeat_timeout").asInt());
        assertEquals("lite", stored.path("metadata").path("service_name").asText());
        assertEquals("a\"b\\c", stored.path("metadata").path("quote").asText(), "JSON escaping");
        assertEquals("[\"t1\"]", stored.path("tags").toString());
        assertTrue(backend.renew(lease));
        assertTrue(backend.renew(lease), "the second heartbeat uses the token the first one returned");
        backend.deregister(lease);
        assertTrue(registry.serviceNamed("lite").isEmpty());
        backend.deregister(lease);
        assertFalse(backend.renew(lease), "gone: register again");
        backend.close();
    }

    @Test
    void aDuplicateIdIsRetriedNotDeleted() throws IOException {
        LiteServiceRegistryBackend backend = backend(registry.apiUrl());
        RegistryBackend.Lease lease = backend.register(instance("lite-dup"), Duration.ofSeconds(30));
        IOException duplicate =
                assertThrows(IOException.class, () -> backend.register(instance("lite-dup"), Duration.ofSeconds(30)));
        assertTrue(duplicate.getMessage().contains("still registered"), duplicate.getMessage());
        assertTrue(
                registry.services().stream().anyMatch(s -> s.path("id").asText().equals("lite-dup")), "not deleted");
        backend.deregister(lease);
    }

    /**
     * The registry applies a heartbeat and its answer is lost on the way back: the beat is an IOException (a POST that
     * was sent is never replayed), and the next one presents the token the lost answer spent. The entry cannot have
     * expired yet, so it is ours: deleted, and registered again at once rather than refused as a duplicate until
     * the lost heartbeat's deadline.
     */
    @Test
    void aSpentTokenAfterALostAnswerDeletesTheEntrySoItRegistersAgainAtOnce() throws IOException {
        try (AnswerDroppingProxy proxy = new AnswerDroppingProxy("http://127.0.0.1:" + registry.port())) {
            LiteServiceRegistryBackend backend = backend(proxy.baseUrl() + "/v1.0/default");
            RegistryBackend.Lease lease = backend.register(instance("lite-lost"), Duration.ofSeconds(30));
            proxy.loseTheAnswerToNext(line -> line.startsWith("POST /v1.0/default/services/lite-lost/heartbeat "));
            assertThrows(IOException.class, () -> backend.renew(lease), "the answer was lost");
            assertEquals(1, proxy.answersLost());

            assertFalse(backend.renew(lease), "the spent token is turned down");
            assertTrue(
                    registry.services().stream()
                            .noneMatch(s -> s.path("id").asText().equals("lite-lost")),
                    "deleted: it was ours");
            RegistryBackend.Lease again = backend.register(instance("lite-lost"), Duration.ofSeconds(30));
            assertTrue(backend.renew(again));
            assertEquals(1, eventsAbout("lite-lost", "service.remove"));
            assertEquals(0, eventsAbout("lite-lost", "service.timeout"));
            backend.deregister(again);
            backend.close();
        }
    }

    /** What the agent registers: its metadata names the host and this JVM's process id ({@code InstanceFactory}). */
    private static ServiceInstance agentInstance(String id, String pid) {
        return new ServiceInstance(
                id, "lite", "127.0.0.1", 8080, List.of("t1"), Map.of("port", "8080", "host", "127.0.0.1", "pid", pid));
    }

    /**
     * The registry applies a creation and its answer is lost: every creation after it is refused as a duplicate. The
     * entry is this JVM's (its pid and host) and a creation of it went unanswered a moment ago, so it is deleted and
     * created again at once, rather than refused until it expires unrenewed.
     */
    @Test
    void aCreationWhoseAnswerWasLostIsDeletedAndCreatedAgainAtOnce() throws IOException {
        try (AnswerDroppingProxy proxy = new AnswerDroppingProxy("http://127.0.0.1:" + registry.port())) {
            LiteServiceRegistryBackend backend = backend(proxy.baseUrl() + "/v1.0/default");
            ServiceInstance instance = agentInstance("lite-created", "4242");
            proxy.loseTheAnswerToNext(line -> line.startsWith("POST /v1.0/default/services "));
            assertThrows(IOException.class, () -> backend.register(instance, Duration.ofSeconds(30)), "lost");
            assertEquals(1, proxy.answersLost());
            assertEquals(1, eventsAbout("lite-created", "service.join"), "the registry applied it");

            RegistryBackend.Lease lease = backend.register(instance, Duration.ofSeconds(30));
            assertTrue(backend.renew(lease), "the new entry's token");
            assertEquals(2, eventsAbout("lite-created", "service.join"));
            assertEquals(1, eventsAbout("lite-created", "service.remove"));
            assertEquals(0, eventsAbout("lite-created", "service.timeout"));
            backend.deregister(lease);
            backend.close();
        }
    }

    /** The same lost answer, but the entry is another JVM's (another pid): it is left to expire, as the API asks. */
    @Test
    void aCreationWhoseAnswerWasLostLeavesAnotherJvmsEntryAlone() throws IOException {
        LiteServiceRegistryBackend other = backend(registry.apiUrl());
        RegistryBackend.Lease theirs = other.register(agentInstance("lite-taken", "1111"), Duration.ofSeconds(30));
        try (AnswerDroppingProxy proxy = new AnswerDroppingProxy("http://127.0.0.1:" + registry.port())) {
            LiteServiceRegistryBackend backend = backend(proxy.baseUrl() + "/v1.0/default");
            ServiceInstance ours = agentInstance("lite-taken", "2222");
            proxy.loseTheAnswerToNext(line -> line.startsWith("POST /v1.0/default/services "));
            assertThrows(IOException.class, () -> backend.register(ours, Duration.ofSeconds(30)), "lost");

            IOException duplicate =
                    assertThrows(IOException.class, () -> backend.register(ours, Duration.ofSeconds(30)));
            assertTrue(duplicate.getMessage().contains("still registered"), duplicate.getMessage());
            assertTrue(
                    proxy.requestLines().contains("GET /v1.0/default/services/lite-taken HTTP/1.1"),
                    "the entry was looked at: " + proxy.requestLines());
            assertEquals(0, eventsAbout("lite-taken", "service.remove"));
            assertTrue(other.renew(theirs), "their entry and token are untouched");
            backend.close();
        }
        other.deregister(theirs);
        other.close();
    }

    /**
     * A server error may come after the registry applied the creation, so a duplicate after it is looked at (and, this
     * JVM's, deleted and created again); a refusal applied nothing, so a duplicate after it is not. Scripted: the real
     * registry gives neither answer on demand.
     */
    @Test
    void aServerErrorCountsAsALostCreationARefusalDoesNot() throws Exception {
        try (MockWebServer scripted = new MockWebServer()) {
            scripted.start(InetAddress.getLoopbackAddress(), 0);
            LiteServiceRegistryBackend backend =
                    backend(scripted.url("/v1.0/default").toString());
            ServiceInstance instance = agentInstance("lite-500", "4242");
            scripted.enqueue(fault(500, "internalServerError"));
            assertThrows(IOException.class, () -> backend.register(instance, Duration.ofSeconds(30)));
            scripted.enqueue(fault(400, "serviceWithThisIdExists"));
            scripted.enqueue(new MockResponse()
                    .setBody("{\"id\":\"lite-500\",\"heartbeat_timeout\":30,\"tags\":[\"t1\"],\"metadata\":"
                            + "{\"service_name\":\"lite\",\"port\":\"8080\",\"host\":\"127.0.0.1\","
                            + "\"pid\":\"4242\"}}"));
            scripted.enqueue(new MockResponse().setResponseCode(204));
            scripted.enqueue(new MockResponse().setResponseCode(201).setBody("{\"token\":\"t1\"}"));
            backend.register(instance, Duration.ofSeconds(30));
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                RecordedRequest r = scripted.takeRequest();
                lines.add(r.getMethod() + " " + r.getPath());
            }
            assertEquals(
                    List.of(
                            "POST /v1.0/default/services",
                            "POST /v1.0/default/services",
                            "GET /v1.0/default/services/lite-500",
                            "DELETE /v1.0/default/services/lite-500",
                            "POST /v1.0/default/services"),
                    lines);

            ServiceInstance refused = agentInstance("lite-403", "4242");
            scripted.enqueue(fault(403, "forbidden"));
            assertThrows(IOException.class, () -> backend.register(refused, Duration.ofSeconds(30)));
            scripted.enqueue(fault(400, "serviceWithThisIdExists"));
            IOException duplicate =
                    assertThrows(IOException.class, () -> backend.register(refused, Duration.ofSeconds(30)));
            assertTrue(duplicate.getMessage().contains("still registered"), duplicate.getMessage());
            assertEquals(7, scripted.getRequestCount(), "after a refusal a duplicate is not looked at");
            backend.close();
        }
    }

    private static MockResponse fault(int code, String type) {
        return new MockResponse()
                .setResponseCode(code)
                .setBody("{\"type\":\"" + type + "\",\"code\":" + code + ",\"message\":\"m\",\"details\":\"d\"}");
    }

    private static long eventsAbout(String id, String type) {
        return registry.events(type, "lite").stream()
                .filter(e -> e.path("payload").path("id").asText().equals(id))
                .count();
    }

    @Test
    void aConnectionTheServerClosedIsReplacedAndADeadRegistryIsAnIoException() throws IOException {
        LiteServiceRegistryBackend backend = backend(registry.apiUrl());
        RegistryBackend.Lease lease = backend.register(instance("lite-reconnect"), Duration.ofSeconds(30));
        try (RegistryFixture other = RegistryFixture.onFreePortNotStarted()) {
            LiteServiceRegistryBackend down = backend(other.apiUrl());
            assertThrows(IOException.class, () -> down.register(instance("lite-down"), Duration.ofSeconds(30)));
        }
        assertTrue(backend.renew(lease));
        backend.deregister(lease);
    }
}
