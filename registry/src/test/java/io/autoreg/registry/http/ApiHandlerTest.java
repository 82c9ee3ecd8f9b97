package io.autoreg.registry.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ApiHandlerTest {

    @Test
    void splitsPathsAndDropsOneTrailingSlash() {
        assertEquals(List.of("services"), ApiHandler.split("services"));
        assertEquals(List.of("services"), ApiHandler.split("services/"));
        assertEquals(List.of("services", "web-1", "heartbeat"), ApiHandler.split("services/web-1/heartbeat"));
        assertEquals(List.of("services", "", "x"), ApiHandler.split("services//x"));
    }

    @Test
    void tenantsAreOneTo64SafeCharacters() {
        assertTrue(ApiHandler.validTenant("7777"));
        assertTrue(ApiHandler.validTenant("a_b-C"));
        assertTrue(ApiHandler.validTenant("x".repeat(64)));
        assertFalse(ApiHandler.validTenant(""));
        assertFalse(ApiHandler.validTenant("x".repeat(65)));
        assertFalse(ApiHandler.validTenant("a.b"));
        assertFalse(ApiHandler.validTenant("é"));
    }
}
