package io.autoreg.registry.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.registry.RegistryServer;
import io.autoreg.registry.support.TestDirs;
import io.autoreg.testing.Http;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The dashboard's error states in real headless Chromium against a registry with auth on: a wrong token, a token
 * of another tenant, and the registry going away. Each clears the rows the page showed before. The last test
 * stops the registry, hence the order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardErrorsBrowserIT {
    private static final Duration LOAD = Duration.ofSeconds(30);
    private static final String TOKEN = "acme-ops-token";
    private Path data;
    private RegistryServer server;
    private HeadlessChromium chromium;
    private DashboardPage page;

    @BeforeAll
    void start() throws IOException {
        data = Files.createTempDirectory("autoreg-dashboard-errors-it");
        server = RegistryServer.builder()
                .config("autoreg.server.tokens { \"" + TOKEN + "\" = acme, other-token = other }")
                .port(0)
                .bind("127.0.0.1")
                .dataDir(data)
                .build()
                .start();
        Http http = new Http(server.baseUrl()).token(TOKEN);
        assertEquals(
                201,
                http.post(
                                "/v1.0/acme/services",
                                "{\"id\":\"billing-1\",\"heartbeat_timeout\":120,"
                                        + "\"metadata\":{\"service_name\":\"billing\",\"host\":\"10.0.0.9\",\"port\":\"7000\"}}")
                        .status());
        chromium = HeadlessChromium.start();
        page = new DashboardPage(chromium.driver(), server.baseUrl()).open();
    }

    @AfterAll
    void stop() throws IOException {
        try {
            if (chromium != null) {
                chromium.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
            TestDirs.deleteTree(data);
        }
    }

    private void awaitRow(String id) {
        page.await(LOAD, d -> page.row(id) != null ? Boolean.TRUE : null);
    }

    private String awaitError() {
        return page.await(
                LOAD, d -> page.visible("error") && !page.text("error").isEmpty() ? page.text("error") : null);
    }

    @Test
    @Order(1)
    void aWrongTokenIsAnAuthErrorAndNoRowsStay() {
        page.connect("acme", TOKEN);
        page.awaitLive(LOAD);
        awaitRow("billing-1");
        assertFalse(page.visible("open-banner"), "auth is on: no open-mode banner");
        page.connect("acme", "not-a-token");
        String error = awaitError();
        assertTrue(error.startsWith("Authentication failed for tenant \"acme\""), error);
        assertTrue(page.rows().isEmpty(), "the rows of the last good connection must go");
        assertEquals("stopped", page.text("live"));
        // The console is read for real: the refused request is there (DashboardBrowserIT asserts it stays empty).
        assertTrue(
                chromium.consoleErrors().stream().anyMatch(e -> e.getMessage().contains("401")),
                "the browser's console should show the 401");
    }

    @Test
    @Order(2)
    void aTokenOfAnotherTenantIsForbiddenAndTheFormerTenantsRowsGo() {
        page.connect("acme", TOKEN);
        page.awaitLive(LOAD);
        awaitRow("billing-1");
        assertFalse(page.visible("error"), "a good connection hides the former error");
        page.connect("other", TOKEN);
        String error = awaitError();
        assertTrue(error.startsWith("Forbidden: the token is not valid for tenant \"other\""), error);
        assertTrue(page.rows().isEmpty());
        assertTrue(page.text("events").isEmpty()
                && page.text("sessions").isEmpty()
                && page.text("limits").isEmpty());
    }

    @Test
    @Order(3)
    void aStoppedRegistryIsUnreachableWithTheTimeOfTheLastGoodUpdate() {
        page.connect("acme", TOKEN);
        page.awaitLive(LOAD);
        awaitRow("billing-1");
        server.close();
        String error = awaitError();
        assertTrue(
                Pattern.compile("^Registry unreachable since .+; last good update at .+ \\(\\d+s ago\\)\\. Retrying…$")
                        .matcher(error)
                        .matches(),
                error);
        assertTrue(page.rows().isEmpty(), "no stale rows while the registry is unreachable");
        assertEquals("retrying", page.text("live"));
        // Retries fail too; the outage keeps its start time while the "ago" of the last good update grows.
        String since = error.substring(0, error.indexOf(';'));
        String later = page.await(Duration.ofSeconds(20), d -> {
            String now = page.text("error");
            return !now.equals(error) && now.startsWith("Registry unreachable") ? now : null;
        });
        assertEquals(since, later.substring(0, later.indexOf(';')), later);
    }
}
