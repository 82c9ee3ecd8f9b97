package io.autoreg.registry.outsideclients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoreg.core.internal.settings.SettingsException;
import io.autoreg.registry.RegistryServer;
import io.autoreg.registry.support.SettableClock;
import io.autoreg.testing.Http;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Registro dialect as Registro's own Go client uses it ({@link RegistroGoClient}): against an open registry,
 * and against secured ones through {@code autoreg.server.registro.tenant} / {@code require-token}.
 */
class RegistroGoClientTest {
    private static final String USERS = "users = [{ username = alice, api-key = s3cret, tenant = \"7777\" }],"
            + " tokens { t7777 = \"7777\", t8888 = \"8888\" }";

    @TempDir
    static Path openData;

    @TempDir
    static Path tokenlessData;

    @TempDir
    static Path securedData;

    static SettableClock clock;
    static RegistryServer open;
    static RegistryServer tokenless;
    static RegistryServer secured;

    @BeforeAll
    static void start() {
        clock = new SettableClock();
        open = RegistryServer.builder()
                .port(0)
                .bind("127.0.0.1")
                .dataDir(openData)
                .clock(clock)
                .build()
                .start();
        tokenless = RegistryServer.builder()
                .port(0)
                .bind("127.0.0.1")
                .dataDir(tokenlessData)
                .config("autoreg.server { " + USERS + ", registro { tenant = \"7777\", require-token = false } }")
                .build()
                .start();
        secured = RegistryServer.builder()
                .port(0)
                .bind("127.0.0.1")
                .dataDir(securedData)
                .config("autoreg.server { " + USERS + " }")
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        for (RegistryServer server : new RegistryServer[] {open, tokenless, secured}) {
            if (server != null) {
                server.close();
            }
        }
    }

    @Test
    void registerServiceRenewAndDeleteWorkAsAgainstRegistro() {
        RegistroGoClient client = new RegistroGoClient(open.port());
        client.registerService("orders-1", "orders", "10.0.0.5", 8080);
        assertTrue(client.getAppNames().contains("orders"));
        RegistroGoClient.Instance registered = client.instances("orders").get(0);
        assertEquals("orders-1", registered.id());
        assertEquals("10.0.0.5", registered.ip());
        assertEquals(8080, registered.port());
        assertEquals("starting", registered.status());
        assertEquals(List.of(), client.availableInstances("orders"));

        client.renewInstance("orders", "orders-1");
        assertEquals(
                List.of("orders-1"),
                client.availableInstances("orders").stream()
                        .map(RegistroGoClient.Instance::id)
                        .toList());

        // A second instance finds the app and only registers itself.
        client.registerService("orders-2", "orders", "10.0.0.6", 8080);
        assertEquals(2, client.instances("orders").size());

        client.deleteInstance("orders", "orders-1");
        assertEquals("out-of-service", client.instances("orders").get(0).status());
        RegistroGoClient.UnexpectedCodeError renewal = assertThrows(
                RegistroGoClient.UnexpectedCodeError.class, () -> client.renewInstance("orders", "orders-1"));
        assertEquals(403, renewal.code);
    }

    @Test
    void theStatusAndLastRenewalTheClientSendsAreIgnoredAsRegistroIgnoresThem() throws Exception {
        RegistroGoClient client = new RegistroGoClient(open.port());
        client.newApp("billing");
        long now = clock.millis() / 1000;
        client.newInstance("billing", "billing-1", "10.0.0.7", 9090, "up", 1);
        RegistroGoClient.Instance instance = client.instances("billing").get(0);
        assertEquals("starting", instance.status());
        assertEquals(now, instance.lastRenewal());
        // The app's "instances" is ignored too: it starts empty whatever the body lists.
        new Http(open.baseUrl())
                .post(
                        "/registro/1.0/apps",
                        "{\"name\":\"stock\",\"instances\":[{\"id\":\"x\",\"ip\":\"10.0.0.8\",\"port\":1}]}");
        assertEquals(List.of(), client.instances("stock"));
    }

    @Test
    void portZeroIsRefusedAsRegistroRefusesIt() throws Exception {
        RegistroGoClient client = new RegistroGoClient(open.port());
        client.newApp("payments");
        RegistroGoClient.UnexpectedCodeError refused = assertThrows(
                RegistroGoClient.UnexpectedCodeError.class,
                () -> client.newInstance("payments", "payments-1", "10.0.0.9", 0));
        assertEquals(400, refused.code);
        JsonNode fault = new ObjectMapper().readTree(refused.body);
        assertEquals("badRequest", fault.path("type").asText());
        assertTrue(fault.path("details").asText().contains("(1..65535)"), refused.body);
        assertEquals(List.of(), client.instances("payments"));
    }

    @Test
    void fieldsRegistroDoesNotKnowAreStillRefused() {
        new RegistroGoClient(open.port()).newApp("search");
        Http http = new Http(open.baseUrl());
        Http.Response r = http.post(
                "/registro/1.0/apps/search", "{\"id\":\"s-1\",\"ip\":\"10.0.0.1\",\"port\":80,\"colour\":\"red\"}");
        assertEquals(400, r.status());
        assertTrue(r.json().path("message").asText().contains("colour"), r.raw().body());
        assertEquals(
                400,
                http.post("/registro/1.0/apps", "{\"name\":\"x\",\"weight\":1}").status());
    }

    /** Reads and writes used in the current windows, summed over the tenant's budgets in GET /limits. */
    private static long rateUsed(Http http) {
        long used = 0;
        for (com.fasterxml.jackson.databind.JsonNode budget :
                http.get("/v1.0/7777/limits").json().path("rate")) {
            used += budget.path("used").asLong();
        }
        return used;
    }

    @Test
    void aSecuredRegistryLetsTheTokenlessClientInAsItsRegistroTenant() {
        RegistroGoClient client = new RegistroGoClient(tokenless.port());
        Http t7777 = new Http(tokenless.baseUrl()).token("t7777");
        long before = rateUsed(t7777);
        client.registerService("orders-1", "orders", "10.0.0.5", 8080);
        client.renewInstance("orders", "orders-1");
        assertEquals(1, client.availableInstances("orders").size());
        long after = rateUsed(t7777);
        // The app and instance creates and the listing count (the renewal, like a heartbeat, does not); the
        // limits read itself counts too.
        assertTrue(
                after - before >= 3, "tokenless Registro calls count against tenant 7777: " + before + " -> " + after);

        // A client that does send a credential must send a good one, and one of that tenant.
        assertEquals(200, t7777.get("/registro/1.0/apps").status());
        assertEquals(
                403,
                new Http(tokenless.baseUrl())
                        .token("t8888")
                        .get("/registro/1.0/apps")
                        .status());
        assertEquals(
                401,
                new Http(tokenless.baseUrl())
                        .token("no-such-token")
                        .get("/registro/1.0/apps")
                        .status());
        // The rest of the API stays closed to callers without a token.
        assertEquals(
                401, new Http(tokenless.baseUrl()).get("/v1.0/7777/services").status());
    }

    @Test
    void bySettingsASecuredRegistryStillAsksRegistroClientsForAToken() {
        RegistroGoClient.UnexpectedCodeError refused = assertThrows(
                RegistroGoClient.UnexpectedCodeError.class, () -> new RegistroGoClient(secured.port()).getAppNames());
        assertEquals(401, refused.code);
        // Without registro.tenant any valid token opens the dialect, as before.
        new RegistroGoClient(secured.port(), "t8888").registerService("orders-1", "orders", "10.0.0.5", 8080);
        assertEquals(
                1,
                new RegistroGoClient(secured.port(), "t7777")
                        .instances("orders")
                        .size());
    }

    @Test
    void aRegistroTenantRestrictsTheDialectToThatTenantsTokens(@TempDir Path data) {
        try (RegistryServer server = RegistryServer.builder()
                .port(0)
                .bind("127.0.0.1")
                .dataDir(data)
                .config("autoreg.server { " + USERS + ", registro.tenant = \"7777\" }")
                .build()
                .start()) {
            assertEquals(
                    401, new Http(server.baseUrl()).get("/registro/1.0/apps").status());
            assertEquals(
                    403,
                    new Http(server.baseUrl())
                            .token("t8888")
                            .get("/registro/1.0/apps")
                            .status());
            new RegistroGoClient(server.port(), "t7777").registerService("orders-1", "orders", "10.0.0.5", 8080);
        }
    }

    @Test
    void badRegistroSettingsNameTheKeyAndWhatIsAllowed() {
        SettingsException noTenant = assertThrows(
                SettingsException.class,
                () -> RegistryServer.builder()
                        .config("autoreg.server.registro.require-token = false")
                        .build());
        assertTrue(noTenant.getMessage().contains("autoreg.server.registro.require-token"), noTenant.getMessage());
        assertTrue(noTenant.getMessage().contains("autoreg.server.registro.tenant"), noTenant.getMessage());
        SettingsException badTenant = assertThrows(
                SettingsException.class,
                () -> RegistryServer.builder()
                        .config("autoreg.server.registro.tenant = \"acme corp\"")
                        .build());
        assertTrue(badTenant.getMessage().contains("autoreg.server.registro.tenant"), badTenant.getMessage());
        assertTrue(badTenant.getMessage().contains("[A-Za-z0-9_-]"), badTenant.getMessage());
        SettingsException notABoolean = assertThrows(
                SettingsException.class,
                () -> RegistryServer.builder()
                        .config("autoreg.server.registro.require-token = sometimes")
                        .build());
        assertTrue(
                notABoolean.getMessage().contains("autoreg.server.registro.require-token"), notABoolean.getMessage());
    }
}
