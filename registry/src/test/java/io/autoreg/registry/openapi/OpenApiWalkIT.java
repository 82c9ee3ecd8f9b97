package io.autoreg.registry.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.autoreg.registry.support.LocalRegistry;
import io.autoreg.testing.Http;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Walks every route of a running registry (with data in it) against the OpenAPI document it serves at
 * /openapi.json: the route table and the document agree both ways, every documented operation is called for real,
 * each live status is one the operation documents, each live JSON body validates against that response's schema
 * (JSON Schema 2020-12, OpenAPI 3.1's dialect), each documented example validates against the same schema and has
 * the live answer's top-level shape.
 */
class OpenApiWalkIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final String T = "/v1.0/7777";

    @RegisterExtension
    static final LocalRegistry registry = new LocalRegistry();

    private static JsonNode document;

    @BeforeAll
    static void readDocument() throws IOException {
        Http.Response served = registry.http().get("/openapi.json");
        assertEquals(200, served.status());
        assertTrue(served.header("Content-Type").startsWith("application/json"), served.header("Content-Type"));
        document = served.json();
        assertEquals("3.1.0", document.path("openapi").asText());
        assertTrue(
                document.path("info").path("description").asText().contains("docs/api.md"),
                "info.description links the semantics page");
        try (InputStream in = OpenApiWalkIT.class.getResourceAsStream("/io/autoreg/registry/openapi.json")) {
            assertNotNull(in, "openapi.json is a resource of the registry jar");
            assertEquals(MAPPER.readTree(in), document, "the server answers the jar's document unchanged");
        }
    }

    @Test
    void routeTableAndDocumentAgree() {
        RouteTable table = RouteTable.of(registry.server());
        Set<String> documented = new TreeSet<>();
        document.path("paths").fieldNames().forEachRemaining(documented::add);
        for (String plain : table.plainPaths()) {
            assertTrue(documented.contains(plain), "route " + plain + " is served but not documented");
        }
        for (String resource : table.tenantResources()) {
            assertTrue(
                    documented.stream()
                            .anyMatch(p -> p.equals("/v1.0/{tenant}/" + resource)
                                    || p.startsWith("/v1.0/{tenant}/" + resource + "/")),
                    "tenant resource " + resource + " is served but not documented");
        }
        assertTrue(
                documented.stream().anyMatch(p -> p.startsWith("/registro/1.0/")),
                "the Registro dialect is documented");
        for (String path : documented) {
            boolean served = table.plainPaths().contains(path)
                    || path.startsWith("/registro/1.0/")
                    || (path.startsWith("/v1.0/{tenant}/")
                            && table.tenantResources()
                                    .contains(path.substring("/v1.0/{tenant}/".length())
                                            .split("/")[0]));
            assertTrue(served, "documented path " + path + " is not in the server's route table");
        }
    }

    @Test
    void everyDocumentedOperationAnswersAsDocumented() {
        Walk walk = new Walk(registry.http());
        walk.call("get", "/healthz", "/healthz", null, 200);
        walk.call("get", "/readyz", "/readyz", null, 200);
        walk.call("get", "/metrics", "/metrics", null, 200);
        walk.call("get", "/openapi.json", "/openapi.json", null, 200);
        walk.call("get", "/", "/", null, 200);
        walk.call("get", "/dashboard/app.js", "/dashboard/app.js", null, 200);
        walk.call("get", "/dashboard/app.css", "/dashboard/app.css", null, 200);
        walk.call("get", "/dashboard/info", "/dashboard/info", null, 200);
        walk.call(
                "post",
                "/v2.0/tokens",
                "/v2.0/tokens",
                "{\"auth\":{\"RAX-KSKEY:apiKeyCredentials\":{\"username\":\"7777\",\"apiKey\":\"any\"}}}",
                200);
        walk.call("post", "/v2.0/tokens", "/v2.0/tokens", "{\"auth\":{}}", 400);

        Http.Response session = walk.call(
                "post",
                "/v1.0/{tenant}/sessions",
                T + "/sessions",
                "{\"heartbeat_timeout\":30,\"metadata\":{\"host\":\"app-1\"}}",
                201);
        String sessionId = lastSegment(session.header("Location"));
        String sessionToken = session.json().path("token").asText();
        walk.call("get", "/v1.0/{tenant}/sessions", T + "/sessions", null, 200);
        walk.call("get", "/v1.0/{tenant}/sessions/{id}", T + "/sessions/" + sessionId, null, 200);
        walk.call(
                "put", "/v1.0/{tenant}/sessions/{id}", T + "/sessions/" + sessionId, "{\"heartbeat_timeout\":60}", 204);
        walk.call(
                "post",
                "/v1.0/{tenant}/sessions/{id}/heartbeat",
                T + "/sessions/" + sessionId + "/heartbeat",
                "{\"token\":\"" + sessionToken + "\"}",
                200);

        Http.Response service = walk.call(
                "post",
                "/v1.0/{tenant}/services",
                T + "/services",
                "{\"id\":\"dfw1-api-1\",\"heartbeat_timeout\":30,\"tags\":[\"api\",\"http\"],\"metadata\":{\"port\":\"8080\"}}",
                201);
        walk.call(
                "post",
                "/v1.0/{tenant}/services",
                T + "/services",
                "{\"id\":\"dfw1-api-2\",\"session_id\":\"" + sessionId + "\",\"tags\":[\"api\"]}",
                201);
        walk.call("post", "/v1.0/{tenant}/services", T + "/services", "{\"id\":\"x\",\"heartbeat_timeout\":30}", 400);
        walk.call("get", "/v1.0/{tenant}/services", T + "/services?tag=api", null, 200);
        walk.call("get", "/v1.0/{tenant}/services", T + "/services?limit=0", null, 400);
        walk.call("get", "/v1.0/{tenant}/services/{id}", T + "/services/dfw1-api-1", null, 200);
        walk.call("get", "/v1.0/{tenant}/services/{id}", T + "/services/dfw1-api-2", null, 200);
        walk.call("get", "/v1.0/{tenant}/services/{id}", T + "/services/no-such-service", null, 404);
        walk.call("put", "/v1.0/{tenant}/services/{id}", T + "/services/dfw1-api-1", "{\"tags\":[\"api\"]}", 204);
        walk.call(
                "post",
                "/v1.0/{tenant}/services/{id}/heartbeat",
                T + "/services/dfw1-api-1/heartbeat",
                "{\"token\":\"" + service.json().path("token").asText() + "\"}",
                200);
        walk.call("get", "/v1.0/{tenant}/views/overview", T + "/views/overview", null, 200);

        String key = "/v1.0/{tenant}/configuration/{id}";
        walk.call("put", key, T + "/configuration/production/cassandra/listen_ip", "{\"value\":\"10.0.0.9\"}", 204);
        walk.call("get", "/v1.0/{tenant}/configuration", T + "/configuration", null, 200);
        walk.call("get", "/v1.0/{tenant}/configuration/{namespace}/", T + "/configuration/production/", null, 200);
        walk.call("get", key, T + "/configuration/production/cassandra/listen_ip", null, 200);
        walk.call("get", "/v1.0/{tenant}/events", T + "/events", null, 200);
        walk.call("get", "/v1.0/{tenant}/limits", T + "/limits", null, 200);
        walk.call("delete", key, T + "/configuration/production/cassandra/listen_ip", null, 204);
        walk.call("delete", "/v1.0/{tenant}/services/{id}", T + "/services/dfw1-api-1", null, 204);
        walk.call("delete", "/v1.0/{tenant}/sessions/{id}", T + "/sessions/" + sessionId, null, 204);

        walk.call("post", "/registro/1.0/apps", "/registro/1.0/apps", "{\"name\":\"web\",\"instances\":[]}", 201);
        walk.call("post", "/registro/1.0/apps", "/registro/1.0/apps", "{\"name\":\"web\"}", 409);
        walk.call(
                "post",
                "/registro/1.0/apps/{app}",
                "/registro/1.0/apps/web",
                "{\"id\":\"web-1\",\"ip\":\"10.0.0.7\",\"port\":8080}",
                201);
        walk.call("put", "/registro/1.0/apps/{app}/{id}", "/registro/1.0/apps/web/web-1", null, 204);
        walk.call("get", "/registro/1.0/apps", "/registro/1.0/apps", null, 200);
        walk.call("get", "/registro/1.0/apps/{app}", "/registro/1.0/apps/web", null, 200);
        walk.call("get", "/registro/1.0/apps/{app}/{id}", "/registro/1.0/apps/web/web-1", null, 200);
        walk.call("delete", "/registro/1.0/apps/{app}/{id}", "/registro/1.0/apps/web/web-1", null, 204);
        walk.call("put", "/registro/1.0/apps/{app}/{id}", "/registro/1.0/apps/web/web-1", null, 403);

        Set<String> notWalked = new TreeSet<>();
        document.path("paths")
                .fields()
                .forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
                    if (!walk.walked.contains(method + " " + path.getKey())) {
                        notWalked.add(method + " " + path.getKey());
                    }
                }));
        assertEquals(Set.of(), notWalked, "documented operations this walk never called");
        assertEquals(List.of(), walk.faults, "answers that differ from the document");
    }

    /**
     * Also the examples of answers the walk cannot provoke on a healthy open server (401, 403, 429, 503): each
     * validates against its schema, and a fault example's code is its status.
     */
    @Test
    void everyDocumentedExampleMatchesItsSchema() {
        Walk walk = new Walk(registry.http());
        document.path("paths")
                .fields()
                .forEachRemaining(path -> path.getValue()
                        .fields()
                        .forEachRemaining(op -> op.getValue()
                                .path("responses")
                                .fields()
                                .forEachRemaining(response -> {
                                    JsonNode json =
                                            response.getValue().path("content").path("application/json");
                                    String where =
                                            op.getKey().toUpperCase() + " " + path.getKey() + " " + response.getKey();
                                    if (json.isMissingNode()) {
                                        return;
                                    }
                                    JsonNode example = json.path("example");
                                    if (example.isMissingNode()) {
                                        if (!path.getKey().equals("/openapi.json")) {
                                            walk.faults.add(where + ": no example answer");
                                        }
                                        return;
                                    }
                                    walk.validate(where + " documented example", json.path("schema"), example);
                                    if (response.getKey().charAt(0) >= '4'
                                            && example.path("code").asInt() != Integer.parseInt(response.getKey())) {
                                        walk.faults.add(where + ": fault example with code " + example.path("code"));
                                    }
                                })));
        assertEquals(List.of(), walk.faults, "examples that differ from their schema");
    }

    /** Calls one operation for real and records every way its answer differs from the document. */
    private static final class Walk {
        final Http http;
        final Set<String> walked = new TreeSet<>();
        final Set<String> examplesChecked = new TreeSet<>();
        final List<String> faults = new ArrayList<>();

        Walk(Http http) {
            this.http = http;
        }

        Http.Response call(String method, String template, String path, String body, int expected) {
            JsonNode operation = document.path("paths").path(template).path(method);
            if (operation.isMissingNode()) {
                fail(method.toUpperCase() + " " + template + " is served but not documented");
            }
            walked.add(method + " " + template);
            Http.Response live = http.send(method.toUpperCase(), path, body);
            String where = method.toUpperCase() + " " + path + " (" + template + " " + live.status() + ")";
            assertEquals(expected, live.status(), where + ": " + live.raw().body());
            JsonNode response = operation.path("responses").path(String.valueOf(live.status()));
            if (response.isMissingNode()) {
                faults.add(where + ": status not documented");
                return live;
            }
            JsonNode content = response.path("content");
            if (content.isMissingNode()) {
                if (!live.raw().body().isEmpty()) {
                    faults.add(where + ": documented without a body, answered "
                            + live.raw().body());
                }
                return live;
            }
            String mediaType = content.fieldNames().next();
            String liveType = live.header("Content-Type");
            if (liveType == null || !liveType.startsWith(mediaType)) {
                faults.add(where + ": Content-Type " + liveType + ", documented " + mediaType);
                return live;
            }
            if (!mediaType.equals("application/json")) {
                return live;
            }
            JsonNode schema = content.path(mediaType).path("schema");
            JsonNode liveBody = live.json();
            validate(where + " live body", schema, liveBody);
            JsonNode example = content.path(mediaType).path("example");
            if (!example.isMissingNode() && examplesChecked.add(template + " " + method + " " + live.status())) {
                validate(where + " documented example", schema, example);
                if (!sameShape(example, liveBody)) {
                    faults.add(where + ": example " + example + " has another shape than the live answer " + liveBody);
                }
            }
            return live;
        }

        private void validate(String what, JsonNode schema, JsonNode value) {
            // The operation's schema inside a root that carries the document's components, so its $refs resolve.
            ObjectNode root = MAPPER.createObjectNode();
            root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
            root.set("components", document.path("components"));
            root.putArray("allOf").add(schema);
            Set<ValidationMessage> messages = SCHEMAS.getSchema(root).validate(value);
            if (!messages.isEmpty()) {
                faults.add(what + " " + value + " does not match its schema: " + messages);
            }
        }
    }

    /** The same JSON type and, for objects, the same top-level keys (values inside are the schema's business). */
    static boolean sameShape(JsonNode a, JsonNode b) {
        if (a.getNodeType() != b.getNodeType()) {
            return false;
        }
        if (!a.isObject()) {
            return true;
        }
        Set<String> keysA = new TreeSet<>();
        Set<String> keysB = new TreeSet<>();
        a.fieldNames().forEachRemaining(keysA::add);
        b.fieldNames().forEachRemaining(keysB::add);
        if (!keysA.equals(keysB)) {
            return false;
        }
        for (String key : keysA) {
            // null stands for "none yet" (last_seen, next_marker); a value's type must match the other side's.
            JsonNode x = a.get(key);
            JsonNode y = b.get(key);
            if (!x.isNull() && !y.isNull() && x.getNodeType() != y.getNodeType()) {
                return false;
            }
        }
        return true;
    }

    private static String lastSegment(String location) {
        assertNotNull(location, "Location header");
        return location.substring(location.lastIndexOf('/') + 1);
    }
}
