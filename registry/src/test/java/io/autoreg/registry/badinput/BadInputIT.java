package io.autoreg.registry.badinput;

import static io.autoreg.registry.conformance.Faults.assertFaultShape;
import static io.autoreg.registry.conformance.Faults.assertStatus;
import static io.autoreg.registry.conformance.RegistryHttp.json;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.autoreg.registry.conformance.Answer;
import io.autoreg.registry.conformance.ConformanceServer;
import io.autoreg.registry.conformance.RegistryHttp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * At least 200 malformed requests, table-driven: every answer is a 4xx with a fault body, never a 5xx,
 * and after each batch the server still answers /healthz and a normal request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputIT {
    private static final int MINIMUM_CASES = 200;

    private ConformanceServer server;
    private ConformanceServer authServer;
    private RegistryHttp http;
    private BadInputTable table;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger normalRequests = new AtomicInteger();

    @BeforeAll
    void startServerWithObjectsToAim() {
        server = ConformanceServer.startOpen();
        http = server.http().tenant("badinput");
        assertStatus(201, http.post("/services", json("id", "svc-exists", "heartbeat_timeout", 120)));
        Answer session = http.post("/sessions", json("heartbeat_timeout", 120));
        assertStatus(201, session);
        String sessionId = session.header("Location").orElseThrow().replaceAll(".*/", "");
        assertStatus(204, http.put("/configuration/cfg_exists", json("value", "v")));
        assertStatus(
                201,
                http.send("POST", "/registro/1.0/apps", json("name", "badinput-app"), RegistryHttp.JSON, Map.of()));
        table = new BadInputTable(sessionId);
        authServer = ConformanceServer.startWith(AuthBadInput.CONFIG);
    }

    @AfterAll
    void stopServer() {
        System.out.println("[bad-input] malformed requests sent: " + sent.get() + ", refused as required: "
                + refused.get() + "; server still serving after " + normalRequests.get() + " batches");
        if (server != null) {
            server.close();
        }
        if (authServer != null) {
            authServer.close();
        }
    }

    @TestFactory
    Stream<DynamicNode> everyMalformedRequestIsRefusedWithA4xxFaultAndTheServerKeepsServing() {
        List<DynamicNode> batches = new ArrayList<>();
        int total = 0;
        Map<String, List<BadRequest>> all = new java.util.LinkedHashMap<>(table.batches());
        all.put("missing or wrong credentials", AuthBadInput.requests(authServer.http()));
        for (Map.Entry<String, List<BadRequest>> batch : all.entrySet()) {
            List<DynamicNode> nodes = new ArrayList<>();
            for (BadRequest request : batch.getValue()) {
                nodes.add(dynamicTest(request.name(), () -> refusedWithAFault(request)));
            }
            nodes.add(dynamicTest(
                    "the server still serves after the batch '" + batch.getKey() + "'", this::serverStillServes));
            total += batch.getValue().size();
            batches.add(
                    dynamicContainer(batch.getKey() + " (" + batch.getValue().size() + " requests)", nodes));
        }
        int planned = total;
        batches.add(dynamicTest("the table holds at least " + MINIMUM_CASES + " malformed requests", () -> {
            System.out.println("[bad-input] table size: " + planned);
            assertTrue(planned >= MINIMUM_CASES, "only " + planned + " cases");
        }));
        return batches.stream();
    }

    private void refusedWithAFault(BadRequest request) {
        sent.incrementAndGet();
        Answer answer = request.send(http);
        if (request instanceof RawRequest raw && raw.mayHangUp() && answer.status() == RawRequest.CLOSED) {
            refused.incrementAndGet();
            return;
        }
        assertTrue(answer.status() >= 400 && answer.status() < 500, () -> "not a 4xx: " + answer);
        assertFaultShape(answer, answer.status());
        refused.incrementAndGet();
    }

    private void serverStillServes() {
        normalRequests.incrementAndGet();
        assertStatus(
                200, authServer.http().tenant("9999").token("static-ci-token").get("/services"));
        assertStatus(200, http.send("GET", "/healthz", null, null, Map.of()));
        String id = "svc-ok-" + normalRequests.get();
        assertStatus(201, http.post("/services", json("id", id, "heartbeat_timeout", 120)));
        assertStatus(200, http.get("/services/" + id));
        assertStatus(200, http.get("/services/svc-exists"));
        assertStatus(200, http.get("/configuration/cfg_exists"));
    }
}
