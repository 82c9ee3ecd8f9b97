package io.autoreg.backendsit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Registro double holds to each rule of the real server (mscansian/registro, {@code server/*.go}),
 * driven as Registro's own Go client drives it ({@link RegistroGoClient}) and, where that client has no
 * call, with the raw requests and the exact answers of the Go server.
 */
class RegistroDoubleTest {

    private static final MediaType JSON = MediaType.get("application/json");
    private static final OkHttpClient HTTP = new OkHttpClient.Builder()
            .callTimeout(Duration.ofSeconds(5))
            .followRedirects(false)
            .build();

    private static RegistroDouble registro;
    private static RegistroGoClient client;

    @BeforeAll
    static void start() {
        registro = RegistroDouble.start();
        client = new RegistroGoClient(registro.clientUrl());
    }

    @AfterAll
    static void stop() {
        registro.close();
    }

    private record Answer(int code, String body, String contentType, String location) {}

    private static Answer call(String method, String path, String body) throws IOException {
        RequestBody requestBody = body == null
                ? (method.equals("GET") || method.equals("DELETE") ? null : RequestBody.create(new byte[0], null))
                : RequestBody.create(body, JSON);
        Request request = new Request.Builder()
                .url(registro.url() + path)
                .method(method, requestBody)
                .build();
        try (Response response = HTTP.newCall(request).execute()) {
            return new Answer(
                    response.code(),
                    response.body().string(),
                    response.header("Content-Type"),
                    response.header("Location"));
        }
    }

    private static String statusOf(String app, String id) throws IOException {
        return client.updateApplication(app).stream()
                .filter(i -> i.id().equals(id))
                .map(RegistroGoClient.Instance::status)
                .findFirst()
                .orElse("absent");
    }

    @Test
    void theGoClientRegistersAStartingInstanceThatOnlyItsFirstRenewalMakesAvailable() throws IOException {
        client.registerService("go-1", "go-app", "10.0.0.7", 8080, registro.nowSeconds() - 500);

        List<RegistroGoClient.Instance> instances = client.updateApplication("go-app");
        assertEquals(1, instances.size());
        RegistroGoClient.Instance registered = instances.get(0);
        assertEquals("starting", registered.status());
        assertEquals(registro.nowSeconds(), registered.lastRenewal(), "the server's clock, not the client's field");
        assertEquals(List.of(), client.availableInstances("go-app"));

        client.renewInstance("go-app", "go-1");

        assertEquals(
                List.of("go-1"),
                client.availableInstances("go-app").stream()
                        .map(RegistroGoClient.Instance::id)
                        .toList());
    }

    @Test
    void aSecondRegisterServiceFindsTheAppAndOnlyAddsTheInstance() throws IOException {
        client.registerService("twice-1", "twice", "10.0.0.7", 8081, 0);
        client.registerService("twice-2", "twice", "10.0.0.7", 8082, 0);

        assertEquals(
                List.of("twice-1", "twice-2"),
                client.updateApplication("twice").stream()
                        .map(RegistroGoClient.Instance::id)
                        .toList());
        assertEquals(409, call("POST", "/apps", "{\"name\":\"twice\"}").code());
    }

    @Test
    void anExistingIdIsA409WhateverItsStatus() throws IOException {
        client.registerService("taken", "conflicts", "10.0.0.7", 8083, 0);
        String again = "{\"id\":\"taken\",\"ip\":\"10.0.0.8\",\"port\":9000}";
        assertEquals(409, call("POST", "/apps/conflicts", again).code(), "starting");
        client.renewInstance("conflicts", "taken");
        assertEquals(409, call("POST", "/apps/conflicts", again).code(), "up");
        registro.advance(Duration.ofSeconds(91));
        assertEquals("down", statusOf("conflicts", "taken"));
        assertEquals(409, call("POST", "/apps/conflicts", again).code(), "down");
        client.deleteInstance("conflicts", "taken");
        assertEquals(409, call("POST", "/apps/conflicts", again).code(), "out-of-service");
        assertEquals("10.0.0.7", client.updateApplication("conflicts").get(0).ip(), "the first registration stays");
    }

    @Test
    void deleteLeavesTheInstanceOutOfServiceWithAFreshLastRenewalAndRefusesItsRenewals() throws IOException {
        client.registerService("leaving", "deletes", "10.0.0.7", 8084, 0);
        client.renewInstance("deletes", "leaving");
        registro.advance(Duration.ofSeconds(30));

        client.deleteInstance("deletes", "leaving");

        RegistroGoClient.Instance deleted = client.updateApplication("deletes").get(0);
        assertEquals("out-of-service", deleted.status());
        assertEquals(registro.nowSeconds(), deleted.lastRenewal());
        RegistroGoClient.UnexpectedCodeError refused = assertThrows(
                RegistroGoClient.UnexpectedCodeError.class, () -> client.renewInstance("deletes", "leaving"));
        assertEquals(403, refused.code);
        assertEquals("out-of-service", statusOf("deletes", "leaving"));
        client.deleteInstance("deletes", "leaving"); // a second DELETE is 204 again
    }

    @Test
    void onlyAnUpInstanceTurnsDownAndOnlyMoreThan90SecondsAfterItsLastRenewal() throws IOException {
        client.registerService("beating", "downs", "10.0.0.7", 8085, 0);
        client.renewInstance("downs", "beating");
        client.registerService("never-renewed", "downs", "10.0.0.7", 8086, 0);
        client.registerService("deleted", "downs", "10.0.0.7", 8087, 0);
        client.deleteInstance("downs", "deleted");
        long last = client.updateApplication("downs").get(0).lastRenewal();

        registro.advanceTo(last + 90);
        assertEquals("up", statusOf("downs", "beating"));

        registro.advanceTo(last + 91);
        assertEquals("down", statusOf("downs", "beating"));
        assertEquals("starting", statusOf("downs", "never-renewed"), "a starting instance never turns down");
        assertEquals("out-of-service", statusOf("downs", "deleted"));
        assertEquals(List.of(), client.availableInstances("downs"));

        client.renewInstance("downs", "beating");
        assertEquals("up", statusOf("downs", "beating"), "a renewal brings a down instance back up");
    }

    @Test
    void everyInstanceIsRemovedMoreThan10MinutesAfterItsLastRenewalAndItsIdIsFreeAgain() throws IOException {
        client.registerService("old", "removals", "10.0.0.7", 8088, 0);
        client.deleteInstance("removals", "old");
        long last = client.updateApplication("removals").get(0).lastRenewal();

        registro.advanceTo(last + 600);
        assertEquals("out-of-service", statusOf("removals", "old"));
        registro.advanceTo(last + 601);
        assertEquals("absent", statusOf("removals", "old"));
        assertEquals(
                "{\n  \"name\": \"removals\"\n}\n",
                call("GET", "/apps/removals", null).body(),
                "the app stays, its empty instances omitted");

        assertEquals(
                201,
                call("POST", "/apps/removals", "{\"id\":\"old\",\"ip\":\"10.0.0.7\",\"port\":8088}")
                        .code());
        assertEquals("starting", statusOf("removals", "old"));
    }

    @Test
    void instanceBodiesAreReadAsGoReadsThemIntoRegistrosStruct() throws IOException {
        assertEquals(201, call("POST", "/apps", "{\"name\":\"bodies\"}").code());
        assertEquals(
                400,
                call("POST", "/apps/bodies", "{\"id\":\"a\",\"ip\":\"10.0.0.7\"}")
                        .code(),
                "no port");
        assertEquals(
                400,
                call("POST", "/apps/bodies", "{\"id\":\"a\",\"ip\":\"10.0.0.7\",\"port\":0}")
                        .code(),
                "port 0");
        assertEquals(
                400,
                call("POST", "/apps/bodies", "{\"id\":\"\",\"ip\":\"10.0.0.7\",\"port\":1}")
                        .code(),
                "empty id");
        assertEquals(
                400, call("POST", "/apps/bodies", "{\"id\":\"a\",\"port\":1}").code(), "no ip");
        assertEquals(
                400,
                call("POST", "/apps/bodies", "{\"id\":\"a\",\"ip\":\"10.0.0.7\",\"port\":\"1\"}")
                        .code(),
                "a port as a string");
        assertEquals(
                400,
                call("POST", "/apps/bodies", "{\"id\":\"a\",\"ip\":\"10.0.0.7\",\"port\":1.5}")
                        .code(),
                "a fractional port");
        assertEquals(
                400,
                call("POST", "/apps/bodies", "{\"id\":\"a\",\"ip\":\"10.0.0.7\",\"port\":1} x")
                        .code(),
                "trailing data");
        assertEquals(400, call("POST", "/apps/bodies", "").code(), "no body");
        assertEquals(400, call("POST", "/apps/bodies", "[]").code(), "not an object");

        assertEquals(
                201,
                call(
                                "POST",
                                "/apps/bodies",
                                "{\"ID\":\"b\",\"Ip\":\"10.0.0.7\",\"port\":-1,\"status\":\"up\",\"lastRenewal\":1,\"extra\":[1]}")
                        .code(),
                "keys case-insensitive, unknown fields ignored, only port 0 refused");
        RegistroGoClient.Instance b = client.updateApplication("bodies").get(0);
        assertEquals("b", b.id());
        assertEquals(-1, b.port());
        assertEquals("starting", b.status(), "the status sent is ignored");
        assertEquals(registro.nowSeconds(), b.lastRenewal(), "the lastRenewal sent is ignored");

        assertEquals(
                404,
                call("POST", "/apps/no-such-app", "{\"id\":\"a\",\"ip\":\"10.0.0.7\",\"port\":1}")
                        .code());
        assertEquals(400, call("POST", "/apps", "{\"name\":5}").code());
    }

    @Test
    void answersAreGosIndentedJsonSniffedAsText() throws IOException {
        call("POST", "/apps", "{\"name\":\"shape\"}");
        call("POST", "/apps/shape", "{\"id\":\"s<1>\",\"ip\":\"10.0.0.7\",\"port\":8089}");
        long now = registro.nowSeconds();

        Answer instance = call("GET", "/apps/shape/s%3C1%3E", null);
        assertEquals(200, instance.code());
        assertEquals("text/plain; charset=utf-8", instance.contentType());
        assertEquals(
                "{\n  \"id\": \"s\\u003c1\\u003e\",\n  \"ip\": \"10.0.0.7\",\n  \"port\": 8089,\n"
                        + "  \"status\": \"starting\",\n  \"lastRenewal\": " + now + "\n}\n",
                instance.body());

        Answer app = call("GET", "/apps/shape", null);
        assertEquals(
                "{\n  \"name\": \"shape\",\n  \"instances\": [\n    {\n      \"id\": \"s\\u003c1\\u003e\",\n"
                        + "      \"ip\": \"10.0.0.7\",\n      \"port\": 8089,\n      \"status\": \"starting\",\n"
                        + "      \"lastRenewal\": " + now + "\n    }\n  ]\n}\n",
                app.body());

        assertTrue(call("GET", "/apps", null).body().startsWith("{\n  \"applications\": [\n    {\n      \"name\": "));
    }

    @Test
    void routesAndMethodsAnswerAsGorillaMuxAndRegistrosHandlersDo() throws IOException {
        call("POST", "/apps", "{\"name\":\"routes\"}");
        call("POST", "/apps/routes", "{\"id\":\"r\",\"ip\":\"10.0.0.7\",\"port\":8090}");

        Answer unknown = call("GET", "/apps/routes/r/extra", null);
        assertEquals(404, unknown.code());
        assertEquals("404 page not found\n", unknown.body());
        assertEquals(404, call("GET", "/apps/routes/nobody", null).code());
        assertEquals(404, call("PUT", "/apps/no-such-app/r", null).code());
        assertEquals(404, call("GET", "/nowhere", null).code());

        Answer slash = call("GET", "/apps/routes/", null);
        assertEquals(301, slash.code());
        assertEquals("/registro/1.0/apps/routes", slash.location());

        assertEquals(405, call("PUT", "/apps", null).code());
        Answer silent = call("PATCH", "/apps/routes/r", "{}");
        assertEquals(200, silent.code(), "Registro's handler writes nothing for other methods");
        assertEquals("", silent.body());
        assertEquals(204, call("PUT", "/apps/routes/r", null).code());
        assertNull(call("PUT", "/apps/routes/r", null).contentType());
    }

    @Test
    void aRestartedRegistroIsEmpty() throws IOException {
        try (RegistroDouble own = RegistroDouble.start()) {
            RegistroGoClient ownClient = new RegistroGoClient(own.clientUrl());
            ownClient.registerService("gone", "restarts", "10.0.0.7", 8091, 0);

            own.restartEmpty();

            assertEquals(List.of(), ownClient.getApps());
            RegistroGoClient.UnexpectedCodeError noApp = assertThrows(
                    RegistroGoClient.UnexpectedCodeError.class, () -> ownClient.renewInstance("restarts", "gone"));
            assertEquals(404, noApp.code);
        }
    }
}
