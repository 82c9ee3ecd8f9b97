package io.autoreg.core.client;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.core.client.model.Service;
import io.autoreg.core.client.model.ServiceCreate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which registry entry counts as the one a lost creation made: exactly what was sent, nothing else. */
class ServiceCreationsTest {

    private static final ServiceCreate SENT =
            ServiceCreate.withHeartbeat("a-1", 30, List.of("x", "y"), Map.of("pid", "42", "host", "10.0.0.5"));

    private static Service entry(Integer timeout, String session, List<String> tags, Map<String, String> metadata) {
        return new Service("a-1", timeout, session, tags, metadata, null);
    }

    @Test
    void theEntryAsSentIsOurs() {
        assertTrue(
                ServiceCreations.isExactly(
                        entry(30, null, List.of("x", "y"), Map.of("host", "10.0.0.5", "pid", "42")), SENT),
                "metadata in another order is the same metadata");
        ServiceCreate bare = ServiceCreate.withHeartbeat("a-1", 30, null, null);
        assertTrue(ServiceCreations.isExactly(entry(30, null, List.of(), Map.of()), bare), "none sent, none stored");
    }

    @Test
    void anyDifferenceMakesItAnothersEntry() {
        Map<String, String> metadata = Map.of("pid", "42", "host", "10.0.0.5");
        assertFalse(ServiceCreations.isExactly(entry(31, null, List.of("x", "y"), metadata), SENT), "timeout");
        assertFalse(ServiceCreations.isExactly(entry(null, "s-1", List.of("x", "y"), metadata), SENT), "session");
        assertFalse(ServiceCreations.isExactly(entry(30, null, List.of("y", "x"), metadata), SENT), "tag order");
        assertFalse(ServiceCreations.isExactly(entry(30, null, List.of("x"), metadata), SENT), "tags");
        assertFalse(
                ServiceCreations.isExactly(
                        entry(30, null, List.of("x", "y"), Map.of("pid", "43", "host", "10.0.0.5")), SENT),
                "another process");
    }
}
