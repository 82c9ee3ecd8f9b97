package io.autoreg.sidecar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoreg.sidecar.testing.Child;
import io.autoreg.sidecar.testing.FreePorts;
import io.autoreg.sidecar.testing.Jars;
import io.autoreg.sidecar.testing.TestRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator CLI against the real registry: every command in every format, paging, the fault of an
 * API error (exit 1), usage errors (exit 2), and where the URL comes from (flags > env > config file).
 * Most calls run {@link SidecarMain#run} in this JVM (the same code the jar runs, without paying a JVM
 * start per call); exit codes, env precedence and {@code --follow} run the real jar.
 */
class OperatorCliIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    private static TestRegistry registry;

    record Result(int code, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + out, e);
            }
        }

        List<String> lines() {
            return out.isEmpty() ? List.of() : Arrays.asList(out.split("\r?\n"));
        }
    }

    @BeforeAll
    static void seed() {
        registry = new TestRegistry("sidecar-cli");
        for (int i = 1; i <= 3; i++) {
            assertEquals(201, registry.send("POST", "/services", "{\"id\":\"db-" + i + "\",\"heartbeat_timeout\":120,"
                    + "\"tags\":[\"db\"" + (i == 2 ? ",\"primary\"" : "") + "],\"metadata\":{\"region\":\"dfw\",\"n\":\"" + i + "\"}}"));
        }
        assertEquals(201, registry.send("POST", "/sessions", "{\"heartbeat_timeout\":120,\"metadata\":{\"owner\":\"cli-it\"}}"));
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    static Result cli(String... args) {
        List<String> argv = new ArrayList<>(Arrays.asList(args));
        if (!argv.contains("--url") && !argv.contains("--help")) {
            argv.addAll(List.of("--url", registry.url()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SidecarMain.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Result ok(String... args) {
        Result result = cli(args);
        assertEquals(0, result.code(), String.join(" ", args) + " failed:\n" + result.err() + "\nstdout:\n" + result.out());
        return result;
    }

    /** The same data in the four formats: table, csv and yaml must say what json says. */
    private static void assertFormatsAgree(String... command) {
        JsonNode json = ok(with(command, "--format", "json")).json();
        Object yaml = new Yaml().load(ok(with(command, "--format", "yaml")).out());
        assertEquals(steady(JSON.convertValue(json, Object.class)), steady(yaml), "yaml of " + String.join(" ", command));

        List<JsonNode> rows = new ArrayList<>();
        if (json.isArray()) {
            json.forEach(rows::add);
        } else {
            rows.add(json);
        }
        List<String> csv = ok(with(command, "--format", "csv")).lines();
        assertEquals(rows.size() + 1, csv.size(), "header + one line per object: " + csv);
        List<String> columns = List.of(csv.get(0).split(","));
        for (String column : columns) {
            assertTrue(rows.get(0).has(column) || rows.stream().anyMatch(r -> r.has(column)), "csv column " + column);
        }
        if (rows.get(0).path(columns.get(0)).isValueNode()) {
            assertEquals(rows.get(0).path(columns.get(0)).asText(), csv.get(1).split(",")[0].replace("\"", ""));
        }

        List<String> table = ok(command).lines();
        if (json.isArray()) {
            assertEquals(rows.size() + 1, table.size(), "header + one line per object: " + table);
            assertEquals(columns.get(0).toUpperCase(), table.get(0).split("\\s+")[0]);
            int second = table.get(0).indexOf(columns.get(1).toUpperCase());
            for (String line : table.subList(1, table.size())) {
                assertTrue(line.length() <= second || line.charAt(second - 1) == ' ', "aligned columns:\n" + String.join("\n", table));
            }
            for (int i = 0; i < rows.size(); i++) {
                assertTrue(table.get(i + 1).startsWith(rows.get(i).path(columns.get(0)).asText() + " "), table.get(i + 1));
            }
        } else {
            assertEquals(List.of("FIELD", "VALUE"), List.of(table.get(0).split("\\s+")));
        }
    }

    /** Without the request counter of /limits, which every call (these included) moves on. */
    @SuppressWarnings("unchecked")
    private static Object steady(Object tree) {
        if (tree instanceof Map) {
            Map<String, Object> copy = new java.util.LinkedHashMap<>((Map<String, Object>) tree);
            copy.remove("used");
            copy.replaceAll((key, value) -> steady(value));
            return copy;
        }
        if (tree instanceof List) {
            return ((List<Object>) tree).stream().map(OperatorCliIT::steady).toList();
        }
        return tree;
    }

    private static String[] with(String[] command, String... extra) {
        List<String> all = new ArrayList<>(Arrays.asList(command));
        all.addAll(Arrays.asList(extra));
        return all.toArray(new String[0]);
    }

    @Test
    void servicesListAndGetInEveryFormat() {
        assertFormatsAgree("services", "list");
        assertFormatsAgree("services", "get", "db-2");
        JsonNode all = ok("services", "list", "--format", "json").json();
        assertEquals(List.of("db-1", "db-2", "db-3"), ids(all));
        assertEquals("dfw", all.get(0).path("metadata").path("region").asText());
        assertEquals(List.of("db-2"), ids(ok("services", "list", "--tag", "primary", "--format", "json").json()));
        String table = ok("services", "get", "db-2").out();
        assertTrue(table.contains("tags               db,primary"), table);
    }

    @Test
    void anApiErrorPrintsTheFaultAndExits1() {
        Result missing = cli("services", "get", "no-such-service");
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("HTTP 404 notFoundError"), missing.err());
        assertTrue(missing.err().contains("no-such-service"), "the fault's details: " + missing.err());
        assertTrue(missing.err().contains("txnId"), missing.err());
        assertEquals("", missing.out());

        Result badType = cli("events", "list", "--type", "service.explode");
        assertEquals(1, badType.code());
        assertTrue(badType.err().contains("HTTP 400 badRequest"), badType.err());
    }

    @Test
    void usageErrorsExit2WithTheCommandsUsage() {
        Result unknownVerb = cli("services", "remove", "db-1");
        assertEquals(2, unknownVerb.code());
        assertTrue(unknownVerb.err().contains("unknown sub-command 'remove'") && unknownVerb.err().contains("usage: autoreg-sidecar services"),
                unknownVerb.err());
        assertEquals(2, cli("services", "list", "--colour", "red").code());
        assertEquals(2, cli("services", "list", "--format", "xml").code());
        assertEquals(2, cli("services", "get").code());
        assertEquals(2, cli("configuration", "set", "only_an_id").code());
        assertEquals(2, cli("services", "list", "--limit", "0").code());
        assertEquals(2, cli("frobnicate").code());
        Result help = cli("configuration", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("configuration set ID VALUE"), help.out());
    }

    @Test
    void anUnreachableRegistryExits1() {
        Result result = cli("services", "list", "--url", "http://127.0.0.1:" + FreePorts.next() + "/v1.0/x");
        assertEquals(1, result.code());
        assertTrue(result.err().contains("registry not reachable"), result.err());
    }

    @Test
    void sessionsListAndGet() {
        assertFormatsAgree("sessions", "list");
        JsonNode sessions = ok("sessions", "list", "--format", "json").json();
        assertEquals(1, sessions.size());
        String id = sessions.get(0).path("id").asText();
        assertEquals("cli-it", ok("sessions", "get", id, "--format", "json").json().path("metadata").path("owner").asText());
        assertFormatsAgree("sessions", "get", id);
    }

    @Test
    void configurationSetGetListRemoveWithNamespaces() {
        ok("configuration", "set", "/production/cassandra/listen_ip", "10.0.0.1");
        ok("configuration", "set", "/production/cassandra2/listen_ip", "10.0.0.2");
        ok("configuration", "set", "plain_key", "a value, with \"quotes\"");
        assertEquals("10.0.0.1", ok("configuration", "get", "/production/cassandra/listen_ip", "--format", "json").json().path("value").asText());
        assertEquals(List.of("/production/cassandra/listen_ip"),
                ids(ok("configuration", "list", "--namespace", "/production/cassandra/", "--format", "json").json()));
        assertFormatsAgree("configuration", "list", "--namespace", "/production/");
        assertFormatsAgree("configuration", "get", "plain_key");
        assertTrue(ok("configuration", "list", "--format", "csv").out().contains("plain_key,\"a value, with \"\"quotes\"\"\""),
                "csv quoting");
        Result removed = ok("configuration", "remove", "plain_key");
        assertEquals("", removed.out());
        Result gone = cli("configuration", "get", "plain_key");
        assertEquals(1, gone.code());
        assertTrue(gone.err().contains("404"), gone.err());
        assertEquals(1, cli("configuration", "remove", "plain_key").code());
    }

    @Test
    void listsPageTransparentlyOrOnePageWithLimitAndMarker() {
        for (int i = 0; i < 105; i++) {
            ok("configuration", "set", String.format("/paging/key_%03d", i), "v" + i);
        }
        List<String> all = ids(ok("configuration", "list", "--namespace", "/paging/", "--format", "json").json());
        assertEquals(105, all.size(), "every page, not just the first 100");
        assertEquals("/paging/key_104", all.get(104));

        Result page = ok("configuration", "list", "--namespace", "/paging/", "--limit", "10", "--format", "json");
        assertEquals(all.subList(0, 10), ids(page.json()));
        assertTrue(page.err().contains("more: --marker /paging/key_010"), page.err());
        Result next = ok("configuration", "list", "--namespace", "/paging/", "--limit", "10", "--marker", "/paging/key_010", "--format", "json");
        assertEquals(all.subList(10, 20), ids(next.json()));
    }

    @Test
    void eventsListByTypeInEveryFormat() {
        ok("configuration", "set", "evented_key", "one");
        ok("configuration", "set", "evented_key", "two");
        JsonNode updates = ok("events", "list", "--type", "configuration_value.update", "--format", "json").json();
        assertTrue(updates.size() >= 2);
        updates.forEach(event -> assertEquals("configuration_value.update", event.path("type").asText()));
        JsonNode joins = ok("events", "list", "--type", "service.join", "--format", "json").json();
        assertEquals(List.of("db-1", "db-2", "db-3"), joins.findValuesAsText("id").stream().filter(id -> id.startsWith("db-")).toList());
        assertFormatsAgree("events", "list", "--type", "service.join");
    }

    @Test
    void limitsInEveryFormat() {
        JsonNode limits = ok("limits", "--format", "json").json();
        assertTrue(limits.path("resource").path("service").asInt() > 0, limits.toString());
        assertFormatsAgree("limits");
        assertTrue(ok("limits").out().contains("resource.configuration_value"), "nested keys flattened in the table");
    }

    @Test
    void eventsFollowPrintsNewEventsAsTheyHappen() {
        try (Child follow = Child.java(Jars.sidecar(), List.of("events", "list", "--follow", "--type", "configuration_value.update",
                "--format", "csv", "--url", registry.url()), Map.of(), dir, "follow")) {
            follow.awaitStdout("^(id,timestamp,type,payload)", Duration.ofSeconds(15));
            ok("configuration", "set", "followed_key", "first");
            follow.awaitStdout("(followed_key,old_value=,new_value=first)", Duration.ofSeconds(10));
            ok("configuration", "set", "followed_key", "second");
            follow.awaitStdout("(followed_key,old_value=first,new_value=second)", Duration.ofSeconds(10));
            assertTrue(follow.process().isAlive(), "still following");
            long headers = follow.stdout().lines().filter(line -> line.startsWith("id,")).count();
            assertEquals(1, headers, follow.stdout());
        }
    }

    @Test
    void theUrlComesFromFlagsThenEnvironmentThenConfigFile() throws IOException {
        String dead = "http://127.0.0.1:" + FreePorts.next() + "/v1.0/x";
        Path config = Files.writeString(dir.resolve("cli.conf"), "autoreg.registry.url = \"" + registry.url() + "\"\n");

        assertEquals(0, jar(List.of("services", "list", "--config", config.toString()), Map.of()), "config file");
        assertEquals(1, jar(List.of("services", "list", "--config", config.toString()), Map.of("AUTOREG_REGISTRY_URL", dead)),
                "the environment beats the file");
        assertEquals(0, jar(List.of("services", "list", "--url", registry.url()), Map.of("AUTOREG_REGISTRY_URL", dead)),
                "a flag beats the environment");
        assertEquals(0, jar(List.of("services", "list"), Map.of("AUTOREG_REGISTRY_URL", registry.url(), "AUTOREG_CONFIG", config.toString())),
                "AUTOREG_CONFIG names the file");
    }

    private static int jar(List<String> args, Map<String, String> env) {
        try (Child child = Child.java(Jars.sidecar(), args, env, dir, "cli-" + System.nanoTime())) {
            int code = child.awaitExit(Duration.ofSeconds(20));
            if (code == 0) {
                assertTrue(child.stdout().startsWith("ID "), child.stdout());
            }
            return code;
        }
    }

    private static List<String> ids(JsonNode array) {
        List<String> ids = new ArrayList<>();
        array.forEach(item -> ids.add(item.path("id").asText()));
        return ids;
    }

}
