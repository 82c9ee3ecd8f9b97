package io.autoreg.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.registry.support.RawHttp;
import io.autoreg.testing.Http;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A request whose framing the server will not read ({@code Transfer-Encoding} it does not decode, or
 * any on a method without a body) is answered 400 with the fault body and the connection is closed, so
 * that what follows on the connection can never be taken for (or hidden as) the body of the first.
 */
class FramingDesyncHttpTest {
    @TempDir
    static Path data;

    static RegistryServer server;

    @BeforeAll
    static void start() {
        server = RegistryServer.builder()
                .port(0)
                .bind("127.0.0.1")
                .dataDir(data)
                .build()
                .start();
        new Http(server.baseUrl()).post("/v1.0/frame/services", "{\"id\":\"svc-frame\",\"heartbeat_timeout\":120}");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest(name = "{0} {1} with Transfer-Encoding: {2}")
    @CsvSource({
        "GET, /v1.0/frame/services, gzip",
        "GET, /v1.0/frame/services/svc-frame, chunked",
        "DELETE, /v1.0/frame/services/svc-frame, gzip",
        "DELETE, /v1.0/frame/configuration/some_key, chunked",
        "HEAD, /v1.0/frame/services, gzip",
        "GET, /healthz, gzip",
        "OPTIONS, /v1.0/frame/services, gzip",
        "PATCH, /v1.0/frame/services/svc-frame, gzip",
        "POST, /v1.0/frame/services, gzip",
        "PUT, /v1.0/frame/configuration/some_key, deflate",
        "POST, /v2.0/tokens, 'gzip, chunked'",
    })
    void anUnreadableTransferEncodingIs400ThenClose(String method, String path, String coding) {
        String second = "GET /v1.0/frame/services HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        try (RawHttp connection = RawHttp.connect(server.port())) {
            connection.send(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: " + coding + "\r\n\r\n" + second);
            RawHttp.Response first = connection.read(method.equals("HEAD"));
            assertEquals(400, first.status(), first::toString);
            assertEquals("close", first.header("Connection"), first::toString);
            if (!method.equals("HEAD")) {
                assertEquals("badRequest", first.json().path("type").asText(), first::toString);
                assertEquals(
                        first.header("X-Response-Id"),
                        first.json().path("txnId").asText(),
                        first::toString);
            }
            assertTrue(connection.closedByServer(), "bytes after the 400: the second request was answered");
        }
    }

    @ParameterizedTest(name = "{0} without a body keeps the connection")
    @CsvSource({"GET", "DELETE"})
    void aPlainRequestKeepsTheConnection(String method) {
        try (RawHttp connection = RawHttp.connect(server.port())) {
            String path = method.equals("GET") ? "/v1.0/frame/services" : "/v1.0/frame/configuration/no_such_key";
            RawHttp.Response first = connection.exchange(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertEquals(method.equals("GET") ? 200 : 404, first.status(), first::toString);
            RawHttp.Response second =
                    connection.exchange("GET /v1.0/frame/services HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertEquals(200, second.status(), second::toString);
        }
    }
}
