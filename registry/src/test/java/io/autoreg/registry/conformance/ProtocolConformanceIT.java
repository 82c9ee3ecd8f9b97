package io.autoreg.registry.conformance;

import static io.autoreg.registry.conformance.Faults.assertFault;
import static io.autoreg.registry.conformance.Faults.assertStatus;
import static io.autoreg.registry.conformance.RegistryHttp.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/api.md §1 General: content types, response ids, the fault body, unknown URLs, methods, body size. */
class ProtocolConformanceIT extends ConformanceBase {

    @Test
    void everyAnswerIsJsonWithAUniqueResponseId() {
        RegistryHttp http = freshTenant();
        Answer first = http.get("/services");
        Answer second = http.get("/services");
        assertStatus(200, first);
        assertEquals(
                "application/json;charset=utf-8",
                first.header("Content-Type").orElse("").replace(" ", "").toLowerCase());
        String a = first.header("X-Response-Id").orElseThrow();
        String b = second.header("X-Response-Id").orElseThrow();
        assertNotEquals(a, b);
    }

    @Test
    void responseIdsStayUniqueUnderConcurrency() throws Exception {
        RegistryHttp http = freshTenant();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            java.util.List<java.util.concurrent.Future<String>> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 400; i++) {
                ids.add(pool.submit(
                        () -> http.get("/services").header("X-Response-Id").orElseThrow()));
            }
            java.util.Set<String> distinct = new java.util.HashSet<>();
            for (java.util.concurrent.Future<String> id : ids) {
                distinct.add(id.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            assertEquals(400, distinct.size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void healthzAnswers200() {
        Answer health = server.http().send("GET", "/healthz", null, null, Map.of());
        assertStatus(200, health);
    }

    @Test
    void anOpenServerAcceptsAnyTokenOrNoneForAnyTenant() {
        RegistryHttp http = freshTenant();
        assertStatus(200, http.get("/services"));
        assertStatus(200, http.token("whatever-token").get("/services"));
        assertStatus(200, http.tenant("another_Tenant-1").token("x").get("/services"));
    }

    @Test
    void metricsAreServedAsPrometheusText() {
        RegistryHttp http = freshTenant();
        createService(http, "svc-metrics", 30);
        Answer metrics = server.http().send("GET", "/metrics", null, null, Map.of());
        assertStatus(200, metrics);
        assertTrue(metrics.header("Content-Type").orElse("").startsWith("text/plain"), metrics::toString);
        assertTrue(metrics.body().lines().anyMatch(l -> l.startsWith("autoreg_live_services ")), metrics::toString);
        assertTrue(metrics.body().contains("# TYPE"), metrics::toString);
    }

    @Test
    void anUnknownUrlInsideTheApiIsNotFoundWithThePageMessage() {
        RegistryHttp http = freshTenant();
        var fault = assertFault(http.get("/no-such-collection"), 404, "notFoundError");
        assertEquals("The page cannot be found.", fault.path("message").asText());
    }

    @Test
    void anUnknownUrlOutsideTheApiIsNotFoundWithAFaultBody() {
        assertFault(server.http().send("GET", "/v9.9/nothing", null, null, Map.of()), 404, "notFoundError");
        assertFault(server.http().send("GET", "/no/such/page", null, null, Map.of()), 404, "notFoundError");
    }

    @Test
    void aTenantIdOutsideTheAllowedCharactersIsNotServed() {
        Answer answer = server.http().send("GET", "/v1.0/bad!tenant/services", null, null, Map.of());
        assertTrue(answer.status() == 400 || answer.status() == 404, answer::toString);
        Faults.assertFaultShape(answer, answer.status());
        String tooLong = "t".repeat(65);
        Answer longTenant = server.http().send("GET", "/v1.0/" + tooLong + "/services", null, null, Map.of());
        assertTrue(longTenant.status() == 400 || longTenant.status() == 404, longTenant::toString);
        assertStatus(200, server.http().tenant("t".repeat(64)).get("/services"));
    }

    @Test
    void aWrongMethodOnAKnownResourceIs405() {
        RegistryHttp http = freshTenant();
        createService(http, "svc-405", 30);
        assertFault(
                http.send("PATCH", http.path("/services"), "{}", RegistryHttp.JSON, Map.of()), 405, "methodNotAllowed");
        assertFault(http.delete("/services"), 405, "methodNotAllowed");
        assertFault(http.put("/services", "{}"), 405, "methodNotAllowed");
        assertFault(http.get("/services/svc-405/heartbeat"), 405, "methodNotAllowed");
        assertFault(http.post("/services/svc-405", "{}"), 405, "methodNotAllowed");
        assertFault(http.post("/limits", "{}"), 405, "methodNotAllowed");
        assertFault(http.post("/events", "{}"), 405, "methodNotAllowed");
        assertFault(http.delete("/sessions"), 405, "methodNotAllowed");
    }

    @Test
    void aBodyWithoutTheJsonContentTypeIsRejectedAsUnsupported() {
        RegistryHttp http = freshTenant();
        String body = json("id", "svc-ctype", "heartbeat_timeout", 30);
        var fault =
                assertFault(http.send("POST", http.path("/services"), body, "text/plain", Map.of()), 400, "badRequest");
        assertTrue(Faults.text(fault).contains("Unsupported content type"), fault::toString);
        assertFault(http.send("POST", http.path("/services"), body, null, Map.of()), 400, "badRequest");
        assertStatus(404, http.get("/services/svc-ctype"));
    }

    @Test
    void theJsonContentTypeIsAcceptedWithACharset() {
        RegistryHttp http = freshTenant();
        Answer created = http.send(
                "POST",
                http.path("/services"),
                json("id", "svc-charset", "heartbeat_timeout", 30),
                "application/json; charset=UTF-8",
                Map.of());
        assertStatus(201, created);
    }

    @Test
    void unparseableJsonIsABadRequest() {
        RegistryHttp http = freshTenant();
        assertFault(http.post("/services", "{\"id\": \"svc-x\", "), 400, "badRequest");
    }

    @Test
    void anUnknownFieldIsABadRequestNamingTheField() {
        RegistryHttp http = freshTenant();
        var fault = assertFault(
                http.post("/services", json("id", "svc-unknown-field", "heartbeat_timeout", 30, "colour", "blue")),
                400,
                "badRequest");
        assertTrue(Faults.text(fault).contains("colour"), fault::toString);
    }

    @Test
    void aBodyOfExactly5000BytesIsAcceptedAndOf5001BytesIsTooLarge() {
        RegistryHttp http = freshTenant();
        Answer accepted = http.post("/services", padded(json("id", "svc-5000", "heartbeat_timeout", 30), 5000));
        assertStatus(201, accepted);
        Answer refused = http.post("/services", padded(json("id", "svc-5001", "heartbeat_timeout", 30), 5001));
        assertFault(refused, 413, "requestTooLargeError");
        assertStatus(404, http.get("/services/svc-5001"));
        assertStatus(200, http.get("/services/svc-5000"));
    }

    @Test
    void aChunkedBodyOverTheLimitIsTooLarge() {
        RegistryHttp http = freshTenant();
        byte[] big = padded(json("id", "svc-chunked", "heartbeat_timeout", 30), 64_000)
                .getBytes(StandardCharsets.UTF_8);
        HttpRequest request = http.requestTo(http.path("/services"))
                .header("Content-Type", RegistryHttp.JSON)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
                .build();
        assertFault(http.exchange("chunked POST of 64000 bytes", request), 413, "requestTooLargeError");
        assertStatus(404, http.get("/services/svc-chunked"));
    }

    @Test
    void anOversizeBodyAnnouncedWithExpectContinueIsRefusedBeforeItIsSent() throws Exception {
        // Raw socket: the JDK 17 client can hang on a final answer to Expect: 100-continue.
        try (Socket socket = new Socket("127.0.0.1", server.root().getPort())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream()
                    .write(("POST /v1.0/continue/services HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                    + "Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 10000\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            String statusLine = readLine(socket.getInputStream());
            assertTrue(statusLine.startsWith("HTTP/1.1 413"), statusLine);
        }
    }

    @Test
    void aBodyAnnouncedWithExpectContinueIsInvitedWith100Continue() throws Exception {
        byte[] body = json("id", "svc-continue", "heartbeat_timeout", 30).getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", server.root().getPort())) {
            socket.setSoTimeout(2_000); // curl waits 1 s for the 100 before it sends anyway
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1.0/continue/services HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Expect: 100-continue\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String interim;
            try {
                interim = readLine(in);
            } catch (java.net.SocketTimeoutException e) {
                throw new AssertionError(
                        "no 100 Continue within 2 s: clients wait for it before they send the body", e);
            }
            assertTrue(interim.startsWith("HTTP/1.1 100"), "no 100 Continue, but: " + interim);
            readLine(in); // the blank line that ends the interim answer
            out.write(body);
            out.flush();
            String statusLine = readLine(in);
            assertTrue(statusLine.startsWith("HTTP/1.1 201"), statusLine);
        }
    }

    @Test
    void aHugeDeclaredBodyIsRefusedWithoutWaitingForIt() throws Exception {
        // The server must stop reading at the limit: it answers 413 although 100 MB never arrive.
        try (Socket socket = new Socket("127.0.0.1", server.root().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1.0/huge/services HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 100000000\r\n\r\n{\"id\":\"svc-huge\",\"metadata\":{\"k\":\"")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(" ".repeat(6000).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = readLine(in);
            assertTrue(statusLine.startsWith("HTTP/1.1 413"), statusLine);
        }
        assertStatus(200, server.http().send("GET", "/healthz", null, null, Map.of()));
    }

    /** Pads a JSON object with insignificant whitespace to exactly {@code size} bytes. */
    static String padded(String json, int size) {
        int missing = size - json.getBytes(StandardCharsets.UTF_8).length;
        if (missing < 0) {
            throw new IllegalArgumentException("already longer than " + size);
        }
        return json.substring(0, json.length() - 1) + " ".repeat(missing) + "}";
    }

    private static String readLine(InputStream in) throws java.io.IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
