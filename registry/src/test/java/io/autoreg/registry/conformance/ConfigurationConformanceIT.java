package io.autoreg.registry.conformance;

import static io.autoreg.registry.conformance.Faults.assertFault;
import static io.autoreg.registry.conformance.Faults.assertStatus;
import static io.autoreg.registry.conformance.RegistryHttp.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** docs/api.md §5 Configuration storage: keys, namespaces, the // form, whole-segment listings, change events. */
class ConfigurationConformanceIT extends ConformanceBase {

    @Test
    void aPlainKeyIsSetWith204AndLocationAndReadsBack() {
        RegistryHttp http = freshTenant();
        Answer set = http.put("/configuration/cassandra_listen_ip", json("value", "10.0.0.1"));
        assertStatus(204, set);
        assertTrue(
                set.header("Location").orElse("").endsWith(http.path("/configuration/cassandra_listen_ip")),
                set::toString);
        JsonNode value = http.get("/configuration/cassandra_listen_ip").json();
        assertEquals("cassandra_listen_ip", value.path("id").asText());
        assertEquals("10.0.0.1", value.path("value").asText());
        assertStatus(204, http.put("/configuration/cassandra_listen_ip", json("value", "10.0.0.2")));
        assertEquals(
                "10.0.0.2",
                http.get("/configuration/cassandra_listen_ip")
                        .json()
                        .path("value")
                        .asText());
    }

    @Test
    void aNamespacedKeyIsAddressedWithOrWithoutTheDoubleSlash() {
        RegistryHttp http = freshTenant();
        assertStatus(204, http.put("/configuration/production/cassandra/listen_ip", json("value", "a")));
        JsonNode value =
                http.get("/configuration/production/cassandra/listen_ip").json();
        assertEquals("/production/cassandra/listen_ip", value.path("id").asText());
        assertEquals(
                "a",
                http.get("/configuration//production/cassandra/listen_ip")
                        .json()
                        .path("value")
                        .asText());
        assertStatus(204, http.put("/configuration//production/cassandra/listen_ip", json("value", "b")));
        assertEquals(
                "b",
                http.get("/configuration/production/cassandra/listen_ip")
                        .json()
                        .path("value")
                        .asText());
        assertEquals(1, ids(http.get("/configuration")).size());
        assertStatus(204, http.delete("/configuration//production/cassandra/listen_ip"));
        assertFault(http.get("/configuration/production/cassandra/listen_ip"), 404, "notFoundError");
    }

    @Test
    void aNamespaceListingIsRecursiveAndMatchesWholeSegmentsOnly() {
        RegistryHttp http = freshTenant();
        http.put("/configuration/production/cassandra/listen_ip", json("value", "1"));
        http.put("/configuration/production/cassandra/ring/seeds", json("value", "2"));
        http.put("/configuration/production/cassandra2/listen_ip", json("value", "3"));
        http.put("/configuration/production_key", json("value", "4"));
        http.put("/configuration/staging/cassandra/listen_ip", json("value", "5"));
        assertEquals(
                List.of("/production/cassandra/listen_ip", "/production/cassandra/ring/seeds"),
                ids(http.get("/configuration/production/cassandra/")));
        assertEquals(
                List.of(
                        "/production/cassandra/listen_ip",
                        "/production/cassandra/ring/seeds",
                        "/production/cassandra2/listen_ip"),
                ids(http.get("/configuration/production/")));
        assertEquals(
                ids(http.get("/configuration/production/cassandra/")),
                ids(http.get("/configuration//production/cassandra/")));
    }

    @Test
    void aNamespaceListingIsPaginated() {
        RegistryHttp http = freshTenant();
        for (String key : List.of("aaa", "bbb", "ccc")) {
            http.put("/configuration/ns1/" + key, json("value", key));
        }
        Answer page = http.get("/configuration/ns1/?limit=2");
        assertEquals(List.of("/ns1/aaa", "/ns1/bbb"), ids(page));
        assertEquals(
                "/ns1/ccc", page.json().path("metadata").path("next_marker").asText());
        String href = page.json().path("metadata").path("next_href").asText();
        assertTrue(href.contains("/configuration/ns1/") && href.contains("limit=2"), href);
        Answer rest = http.get("/configuration/ns1/?limit=2&marker=%2Fns1%2Fccc");
        assertEquals(List.of("/ns1/ccc"), ids(rest));
    }

    @Test
    void aKeyAndANamespaceOfTheSameNameLiveSideBySide() {
        RegistryHttp http = freshTenant();
        assertStatus(204, http.put("/configuration/prod/dbs", json("value", "the key")));
        assertStatus(204, http.put("/configuration/prod/dbs/host", json("value", "in the namespace")));
        assertEquals(
                "the key",
                http.get("/configuration/prod/dbs").json().path("value").asText());
        assertEquals(List.of("/prod/dbs/host"), ids(http.get("/configuration/prod/dbs/")));
        assertEquals(List.of("/prod/dbs", "/prod/dbs/host"), ids(http.get("/configuration/prod/")));
    }

    @Test
    void anEmptyNamespaceListsNothing() {
        Answer list = freshTenant().get("/configuration/nowhere/");
        assertStatus(200, list);
        assertEquals(List.of(), ids(list));
        assertEquals(0, list.json().path("metadata").path("count").asInt());
    }

    @Test
    void aNamespaceWithoutTheTrailingSlashIsNotFound() {
        RegistryHttp http = freshTenant();
        http.put("/configuration/production/cassandra/listen_ip", json("value", "1"));
        assertFault(http.get("/configuration/production/cassandra"), 404, "notFoundError");
    }

    @Test
    void theWholeListIsOrderedById() {
        RegistryHttp http = freshTenant();
        http.put("/configuration/zeta", json("value", "z"));
        http.put("/configuration/alpha", json("value", "a"));
        http.put("/configuration/ns2/beta", json("value", "b"));
        Answer list = http.get("/configuration");
        assertEquals(List.of("/ns2/beta", "alpha", "zeta"), ids(list));
        assertEquals("a", list.json().path("values").path(1).path("value").asText());
    }

    @Test
    void changesWriteEventsAndSettingTheSameValueWritesNothing() {
        RegistryHttp http = freshTenant();
        http.put("/configuration/watched", json("value", "one"));
        assertStatus(204, http.put("/configuration/watched", json("value", "one")));
        http.put("/configuration/watched", json("value", "two"));
        List<JsonNode> updates = eventsAbout(http, "configuration_value.update", "watched");
        assertEquals(2, updates.size(), updates::toString);
        assertTrue(updates.get(0).path("payload").path("old_value").isNull(), updates::toString);
        assertEquals("one", updates.get(0).path("payload").path("new_value").asText());
        assertEquals("one", updates.get(1).path("payload").path("old_value").asText());
        assertEquals("two", updates.get(1).path("payload").path("new_value").asText());

        assertStatus(204, http.delete("/configuration/watched"));
        List<JsonNode> removes = eventsAbout(http, "configuration_value.remove", "watched");
        assertEquals(1, removes.size());
        assertEquals("two", removes.get(0).path("payload").path("old_value").asText());
        assertFault(http.delete("/configuration/watched"), 404, "notFoundError");
        assertEquals(
                1, eventsAbout(http, "configuration_value.remove", "watched").size());
    }

    @Test
    void anUnknownKeyIsNotFound() {
        assertFault(freshTenant().get("/configuration/never_set"), 404, "notFoundError");
    }

    @Test
    void valuesOfOneTo1024CharactersAreAcceptedAndOthersAreNot() {
        RegistryHttp http = freshTenant();
        assertStatus(204, http.put("/configuration/v_one", json("value", "x")));
        assertStatus(204, http.put("/configuration/v_max", json("value", "x".repeat(1024))));
        assertFault(http.put("/configuration/v_over", json("value", "x".repeat(1025))), 400, "badRequest");
        assertFault(http.put("/configuration/v_empty", json("value", "")), 400, "badRequest");
        assertFault(http.put("/configuration/v_none", "{}"), 400, "badRequest");
        assertFault(http.put("/configuration/v_num", "{\"value\":5}"), 400, "badRequest");
        assertStatus(404, http.get("/configuration/v_over"));
    }

    @ParameterizedTest(name = "the configuration id {0} is accepted")
    @ValueSource(strings = {"abc", "a.b-c_d", "/abc/key", "/abc-_/k.y"})
    void idsWithinTheRulesAreAccepted(String id) {
        RegistryHttp http = freshTenant();
        assertStatus(204, http.put("/configuration/" + id.replaceFirst("^/", ""), json("value", "v")));
        assertEquals(
                id,
                http.get("/configuration/" + id.replaceFirst("^/", ""))
                        .json()
                        .path("id")
                        .asText());
    }

    @Test
    void keyAndNamespaceLengthsAreEnforcedAtTheirEdges() {
        RegistryHttp http = freshTenant();
        assertStatus(204, http.put("/configuration/" + "k".repeat(170), json("value", "v")));
        assertFault(http.put("/configuration/" + "k".repeat(171), json("value", "v")), 400, "badRequest");
        assertFault(http.put("/configuration/kk", json("value", "v")), 400, "badRequest");
        assertStatus(204, http.put("/configuration/" + "n".repeat(50) + "/key", json("value", "v")));
        assertFault(http.put("/configuration/" + "n".repeat(51) + "/key", json("value", "v")), 400, "badRequest");
        assertFault(http.put("/configuration/nn/key", json("value", "v")), 400, "badRequest");
        assertFault(http.put("/configuration/na.me/key", json("value", "v")), 400, "badRequest");
    }

    @Test
    void tenNamespaceSegmentsAreAcceptedAndElevenAreNot() {
        RegistryHttp http = freshTenant();
        assertStatus(204, http.put("/configuration/" + "seg/".repeat(10) + "key", json("value", "v")));
        assertFault(http.put("/configuration/" + "seg/".repeat(11) + "key", json("value", "v")), 400, "badRequest");
    }

    @Test
    void anIdOfMoreThan500CharactersIsRefused() {
        RegistryHttp http = freshTenant();
        String id500 = ("/" + "n".repeat(50)).repeat(7) + "/" + "k".repeat(142);
        assertEquals(500, id500.length());
        assertStatus(204, http.put("/configuration" + id500, json("value", "v")));
        assertEquals(id500, http.get("/configuration" + id500).json().path("id").asText());
        assertFault(http.put("/configuration" + id500 + "k", json("value", "v")), 400, "badRequest");
    }
}
