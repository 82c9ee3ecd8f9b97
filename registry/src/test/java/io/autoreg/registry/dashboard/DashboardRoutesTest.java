package io.autoreg.registry.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.registry.support.LocalRegistry;
import io.autoreg.testing.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The dashboard's files, its info route and /readyz over plain HTTP. */
class DashboardRoutesTest {
    @RegisterExtension
    static final LocalRegistry registry = new LocalRegistry();

    @Test
    void thePageItsScriptAndItsStyleAreServedWithTheirTypes() {
        Http http = registry.http();
        Http.Response html = http.get("/");
        assertEquals(200, html.status());
        assertEquals("text/html; charset=UTF-8", html.header("Content-Type"));
        assertTrue(html.raw().body().contains("<script src=\"/dashboard/app.js\"></script>"));
        assertEquals(
                "text/javascript; charset=UTF-8", http.get("/dashboard/app.js").header("Content-Type"));
        assertEquals("text/css; charset=UTF-8", http.get("/dashboard/app.css").header("Content-Type"));
        assertEquals("no-cache", html.header("Cache-Control"));
    }

    /** The real page under this policy: {@code DashboardBrowserIT}, whose console must stay free of violations. */
    @Test
    void thePageIsServedWithAPolicyThatKeepsItToItsOwnFilesAndOutOfFrames() {
        Http.Response html = registry.http().get("/");
        assertEquals(DashboardRoute.CONTENT_SECURITY_POLICY, html.header("Content-Security-Policy"));
        assertTrue(html.header("Content-Security-Policy").contains("frame-ancestors 'none'"));
        assertEquals("DENY", html.header("X-Frame-Options"));
        assertEquals("no-referrer", html.header("Referrer-Policy"));
        assertEquals("nosniff", html.header("X-Content-Type-Options"));
    }

    @Test
    void theInfoRouteSaysTheServerRunsOpen() {
        Http.Response info = registry.http().get("/dashboard/info");
        assertEquals(200, info.status());
        assertTrue(info.json().get("open").asBoolean());
    }

    @Test
    void writingToTheDashboardIsRefusedWithAFault() {
        Http.Response post = registry.http().post("/dashboard/app.js", "{}");
        assertEquals(405, post.status());
        assertEquals("methodNotAllowed", post.json().get("type").asText());
    }

    @Test
    void readyzAnswersOnceTheStoreIsRecovered() {
        Http.Response ready = registry.http().get("/readyz");
        assertEquals(200, ready.status());
        assertEquals("ready", ready.json().get("status").asText());
        assertEquals(405, registry.http().delete("/readyz").status());
    }
}
