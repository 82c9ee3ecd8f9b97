package io.autoreg.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.testing.Await;
import io.autoreg.testing.Http;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestartHttpTest {
    @TempDir
    Path data;

    private static List<String> events(Http http, String tenant) {
        List<String> types = new ArrayList<>();
        for (JsonNode e : http.get("/v1.0/" + tenant + "/events").json().get("values")) {
            types.add(e.get("type").asText());
        }
        return types;
    }

    private String restartAndCheck(boolean compactFirst) {
        String token;
        List<String> eventsBefore;
        try (RegistryServer first =
                RegistryServer.builder().port(0).dataDir(data).build().start()) {
            Http http = new Http(first.baseUrl());
            token = http.post("/v1.0/t/services", "{\"id\":\"keeps-beating\",\"heartbeat_timeout\":5,\"tags\":[\"a\"]}")
                    .json()
                    .get("token")
                    .asText();
            for (int i = 0; i < 3; i++) {
                token = http.post("/v1.0/t/services/keeps-beating/heartbeat", "{\"token\":\"" + token + "\"}")
                        .json()
                        .get("token")
                        .asText();
            }
            http.put("/v1.0/t/configuration/app/db_url", "{\"value\":\"jdbc:x\"}");
            http.post("/v1.0/t/sessions", "{\"heartbeat_timeout\":30}");
            http.post("/v1.0/t/services", "{\"id\":\"gone\",\"heartbeat_timeout\":30}");
            http.delete("/v1.0/t/services/gone");
            eventsBefore = events(http, "t");
            if (compactFirst) {
                first.compact();
            }
        }
        try (RegistryServer second =
                RegistryServer.builder().port(0).dataDir(data).build().start()) {
            Http http = new Http(second.baseUrl());
            var beat = http.post("/v1.0/t/services/keeps-beating/heartbeat", "{\"token\":\"" + token + "\"}");
            assertEquals(200, beat.status(), "a heartbeating client must not see a 404 after a restart");
            assertEquals(
                    404,
                    http.post("/v1.0/t/services/keeps-beating/heartbeat", "{\"token\":\"" + token + "\"}")
                            .status());
            assertEquals(
                    "a",
                    http.get("/v1.0/t/services/keeps-beating")
                            .json()
                            .at("/tags/0")
                            .asText());
            assertEquals(404, http.get("/v1.0/t/services/gone").status());
            assertEquals(
                    "jdbc:x",
                    http.get("/v1.0/t/configuration/app/db_url")
                            .json()
                            .get("value")
                            .asText());
            assertEquals(
                    1, http.get("/v1.0/t/sessions").json().at("/metadata/count").asInt());
            assertEquals(eventsBefore, events(http, "t"), "a restart writes no join or timeout events");
            return beat.json().get("token").asText();
        }
    }

    @Test
    void aRestartIsInvisibleToAHeartbeatingClient() {
        restartAndCheck(false);
    }

    @Test
    void aRestartFromASnapshotIsInvisibleToo() {
        restartAndCheck(true);
    }

    /**
     * Events journaled under a larger cap are cut to a lowered one at the start, not a minute later: the prune runs
     * once the state is recovered, the oldest of all tenants going first.
     */
    @Test
    void aLoweredTotalCapAppliesAtTheStart() {
        try (RegistryServer first =
                RegistryServer.builder().port(0).dataDir(data).build().start()) {
            Http http = new Http(first.baseUrl());
            for (String tenant : List.of("old", "new")) {
                for (int i = 0; i < 60; i++) {
                    assertEquals(
                            201,
                            http.post(
                                            "/v1.0/" + tenant + "/services",
                                            "{\"id\":\"svc-" + i + "\",\"heartbeat_timeout\":30}")
                                    .status());
                }
            }
        }
        try (RegistryServer second = RegistryServer.builder()
                .config("autoreg.server { port = 0, data-dir = \""
                        + data.toString().replace("\\", "\\\\") + "\", events.max-total = 100 }")
                .build()
                .start()) {
            Http http = new Http(second.baseUrl());
            Await.until(
                    Duration.ofSeconds(10),
                    () -> events(http, "old").size() + events(http, "new").size() == 100,
                    "100 events left of 120");
            assertEquals(40, events(http, "old").size(), "the 20 oldest, all the old tenant's, dropped");
            assertEquals(60, events(http, "new").size());
        }
    }
}
