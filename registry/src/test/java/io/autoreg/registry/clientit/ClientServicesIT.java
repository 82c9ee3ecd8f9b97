package io.autoreg.registry.clientit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.core.client.BadRequestException;
import io.autoreg.core.client.CreatedService;
import io.autoreg.core.client.NotFoundException;
import io.autoreg.core.client.ServiceExistsException;
import io.autoreg.core.client.ServiceList;
import io.autoreg.core.client.ServiceRegistryClient;
import io.autoreg.core.client.model.Page;
import io.autoreg.core.client.model.Service;
import io.autoreg.core.client.model.ServiceCreate;
import io.autoreg.core.client.model.ServiceUpdate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Java client's services calls against the real registry server. */
class ClientServicesIT {

    @RegisterExtension
    static final EmbeddedRegistry registry = new EmbeddedRegistry("svc");

    @Test
    void aServiceIsCreatedReadUpdatedHeartbeatenAndDeleted() throws Exception {
        CreatedService created = registry.client()
                .services()
                .create(ServiceCreate.withHeartbeat("crud-1", 30, List.of("db"), Map.of("region", "dfw")));
        assertEquals(36, created.token().length(), "tokens are UUID strings");
        assertTrue(created.location().endsWith("/v1.0/svc/services/crud-1"), created.location());

        Service read = registry.client().services().get("crud-1");
        assertEquals(new Service("crud-1", 30, null, List.of("db"), Map.of("region", "dfw"), null), read);

        String next = registry.client().services().heartbeat("crud-1", created.token());
        assertNotEquals(created.token(), next);
        assertNotNull(registry.client().services().get("crud-1").lastSeen(), "last_seen set by the heartbeat");
        NotFoundException reused = assertThrows(
                NotFoundException.class,
                () -> registry.client().services().heartbeat("crud-1", created.token()),
                "a used token is dead");
        assertTrue(reused.details().contains("HeartbeatMarker"), reused.details());
        assertNotNull(reused.txnId());

        registry.client().services().update("crud-1", new ServiceUpdate(List.of("db", "primary"), null, null));
        assertEquals(
                List.of("db", "primary"),
                registry.client().services().get("crud-1").tags());

        registry.client().services().delete("crud-1");
        NotFoundException gone = assertThrows(
                NotFoundException.class, () -> registry.client().services().get("crud-1"));
        assertEquals("notFoundError", gone.type());
        assertTrue(gone.details().contains("Service"), gone.details());
    }

    @Test
    void aDuplicateIdIsAServiceExistsException() throws Exception {
        registry.client().services().create(ServiceCreate.withHeartbeat("dup-1", 30, List.of(), Map.of()));
        ServiceExistsException e = assertThrows(
                ServiceExistsException.class,
                () -> registry.client()
                        .services()
                        .create(ServiceCreate.withHeartbeat("dup-1", 30, List.of(), Map.of())));
        assertEquals("serviceWithThisIdExists", e.type());
        assertEquals(400, e.status());
        registry.client().services().delete("dup-1");
    }

    @Test
    void validationFailuresCarryTheFaultBody() {
        BadRequestException e = assertThrows(
                BadRequestException.class,
                () -> registry.client().services().create(ServiceCreate.withHeartbeat("ab", 30, List.of(), Map.of())));
        assertEquals("badRequest", e.type());
        assertTrue(e.getMessage().contains("'id'"), e.getMessage());
        BadRequestException limit = assertThrows(
                BadRequestException.class, () -> registry.client().services().list(null, null, 1001));
        assertEquals("invalidLimit", limit.type());
    }

    @Test
    void pagesFollowTheInclusiveMarkerAndListAllReadsThemAll() throws Exception {
        try (ServiceRegistryClient paging = registry.client("paging")) {
            for (int i = 1; i <= 5; i++) {
                paging.services()
                        .create(ServiceCreate.withHeartbeat(
                                "page-" + i, 60, List.of(i % 2 == 0 ? "even" : "odd"), Map.of()));
            }
            Page<Service> first = paging.services().list(null, null, 2);
            assertEquals(
                    List.of("page-1", "page-2"),
                    first.values().stream().map(Service::id).toList());
            assertEquals("page-3", first.metadata().nextMarker());
            Page<Service> second = paging.services().list(null, first.metadata().nextMarker(), 2);
            assertEquals(
                    List.of("page-3", "page-4"),
                    second.values().stream().map(Service::id).toList(),
                    "the marker is inclusive");
            Page<Service> last = paging.services().list(null, "page-5", 2);
            assertFalse(last.hasNext());
            assertNull(last.metadata().nextHref());

            ServiceList all = paging.services().listAll(null);
            assertFalse(all.stale());
            assertEquals(5, all.services().size());
            assertEquals(
                    List.of("page-2", "page-4"),
                    paging.services().listAll("even").services().stream()
                            .map(Service::id)
                            .toList());
        }
    }

    @Test
    void tenantsAreIsolated() throws Exception {
        try (ServiceRegistryClient other = registry.client("other-tenant")) {
            registry.client().services().create(ServiceCreate.withHeartbeat("mine-1", 30, List.of(), Map.of()));
            assertThrows(NotFoundException.class, () -> other.services().get("mine-1"));
            registry.client().services().delete("mine-1");
        }
    }
}
