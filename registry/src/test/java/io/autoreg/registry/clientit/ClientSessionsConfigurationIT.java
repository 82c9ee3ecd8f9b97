package io.autoreg.registry.clientit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.core.client.CreatedSession;
import io.autoreg.core.client.NotFoundException;
import io.autoreg.core.client.model.ConfigurationValue;
import io.autoreg.core.client.model.Limits;
import io.autoreg.core.client.model.Service;
import io.autoreg.core.client.model.ServiceCreate;
import io.autoreg.core.client.model.Session;
import io.autoreg.core.client.model.SessionCreate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sessions, services inside sessions, configuration with namespaces, and limits against the real server. */
class ClientSessionsConfigurationIT {

    @RegisterExtension
    static final EmbeddedRegistry registry = new EmbeddedRegistry("sess");

    @Test
    void aSessionCarriesItsServicesAndTakesThemWithItWhenDeleted() throws Exception {
        CreatedSession session = registry.client().sessions().create(new SessionCreate(30, Map.of("region", "dfw")));
        assertTrue(session.id().matches("se[A-Za-z0-9]{8}"), session.id());
        Session read = registry.client().sessions().get(session.id());
        assertEquals(30, read.heartbeatTimeout());
        assertNull(read.lastSeen());

        assertNull(
                registry.client()
                        .services()
                        .create(ServiceCreate.inSession("in-session-1", session.id(), List.of(), Map.of()))
                        .token(),
                "a session service has no token of its own");
        Service inSession = registry.client().services().get("in-session-1");
        assertEquals(session.id(), inSession.sessionId());
        assertNull(inSession.heartbeatTimeout());

        String next = registry.client().sessions().heartbeat(session.id(), session.token());
        assertNotNull(next);
        assertNotNull(registry.client().sessions().get(session.id()).lastSeen());
        registry.client().sessions().update(session.id(), new SessionCreate(60, null));
        assertEquals(60, registry.client().sessions().get(session.id()).heartbeatTimeout());
        assertTrue(registry.client().sessions().list(null, null).values().stream()
                .anyMatch(s -> s.id().equals(session.id())));

        registry.client().sessions().delete(session.id());
        assertThrows(NotFoundException.class, () -> registry.client().sessions().get(session.id()));
        assertThrows(
                NotFoundException.class,
                () -> registry.client().services().get("in-session-1"),
                "removed with its session");
    }

    @Test
    void namespacedConfigurationIsStoredListedByWholeSegmentsAndDeleted() throws Exception {
        registry.client().configuration().set("/production/cassandra/listen_ip", "10.0.0.1");
        registry.client().configuration().set("/production/cassandra/seeds", "10.0.0.2,10.0.0.3");
        registry.client().configuration().set("/production/cassandra2/listen_ip", "10.9.9.9");
        registry.client().configuration().set("plain_key", "v");

        assertEquals(
                new ConfigurationValue("/production/cassandra/listen_ip", "10.0.0.1"),
                registry.client().configuration().get("/production/cassandra/listen_ip"));
        List<String> inNamespace =
                registry.client().configuration().listNamespace("/production/cassandra", null, null).values().stream()
                        .map(ConfigurationValue::id)
                        .toList();
        assertEquals(
                List.of("/production/cassandra/listen_ip", "/production/cassandra/seeds"),
                inNamespace,
                "whole segments only: not /production/cassandra2/");
        assertEquals("v", registry.client().configuration().get("plain_key").value());
        assertThrows(
                NotFoundException.class,
                () -> registry.client().configuration().get("/production/cassandra"),
                "a namespace without the trailing slash is not a value");

        registry.client().configuration().set("plain_key", "w");
        assertEquals("w", registry.client().configuration().get("plain_key").value());
        registry.client().configuration().delete("plain_key");
        assertThrows(
                NotFoundException.class, () -> registry.client().configuration().get("plain_key"));
        assertThrows(
                NotFoundException.class, () -> registry.client().configuration().delete("plain_key"));
    }

    @Test
    void limitsAreReported() throws Exception {
        Limits limits = registry.client().limits();
        assertEquals(10_000, limits.resource().get("service"));
        assertEquals(10_000, limits.resource().get("session"));
        assertEquals(10_000, limits.resource().get("configuration_value"));
        assertEquals(300_000, limits.rate().get("GET /.*").limit(), limits.toString());
        assertEquals(60_000, limits.rate().get("POST|PUT|DELETE /.*").limit(), limits.toString());
        assertTrue(limits.rate().values().stream().allMatch(r -> r.limit() > 0), limits.toString());
    }
}
