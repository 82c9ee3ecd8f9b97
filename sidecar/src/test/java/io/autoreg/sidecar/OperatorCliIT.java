package io.autoreg.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoreg.sidecar.testing.FreePorts;
import io.autoreg.sidecar.testing.Jars;
import io.autoreg.sidecar.testing.TestRegistry;
import io.autoreg.testing.Child;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The operator CLI against the real registry: every verb in every output format, the table's columns
 * (ADDRESS:PORT, STATUS, human times, one line per cell), paging, maintenance marks, the fault of an API
 * error (exit 1), usage errors (exit 2), an unreachable registry (exit 3), and where the URL comes from
 * (flags > env > config file). Most calls run {@link SidecarMain#run} in this JVM (the same code the jar
 * runs, without paying a JVM start per call); exit codes, env precedence and {@code --follow} run the real jar.
 */
class OperatorCliIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static TestRegistry registry;
    private static String ordersToken;

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
            assertEquals(
                    201,
                    registry.send(
                            "POST",
                            "/services",
                            "{\"id\":\"db-" + i + "\",\"heartbeat_timeout\":120," + "\"tags\":[\"db\""
                                    + (i == 2 ? ",\"primary\"" : "") + "],\"metadata\":{\"region\":\"dfw\",\"n\":\"" + i
                                    + "\"}}"));
        }
        // as the agent and the sidecar register: name, host and port in the metadata; orders-1 has heartbeated
        for (int i = 1; i <= 2; i++) {
            String token = registry.call(
                            "POST",
                            "/services",
                            "{\"id\":\"orders-" + i + "\",\"heartbeat_timeout\":120,\"tags\":[\"api\"],"
                                    + "\"metadata\":{\"service_name\":\"orders\",\"host\":\"10.0.0." + i
                                    + "\",\"port\":\"808" + i + "\",\"pid\":\"4" + i + "\"}}")
                    .path("token")
                    .asText();
            if (i == 1) {
                ordersToken = token;
            }
        }
        assertEquals(
                201,
                registry.send("POST", "/sessions", "{\"heartbeat_timeout\":120,\"metadata\":{\"owner\":\"cli-it\"}}"));
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    static Result cli(String... args) {
        List<String> argv = new ArrayList<>(Arrays.asList(args));
        if (!argv.contains("--registry-url") && !argv.contains("--url") && !argv.contains("--help")) {
            argv.addAll(List.of("--registry-url", registry.url()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SidecarMain.run(
                argv,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Result ok(String... args) {
        Result result = cli(args);
        assertEquals(
                0, result.code(), String.join(" ", args) + " failed:\n" + result.err() + "\nstdout:\n" + result.out());
        return result;
    }

    /** The same data in every format: table, csv and yaml must say what json says (-o and --format alike). */
    private static void assertFormatsAgree(String tableHeader, String... command) {
        JsonNode json = ok(with(command, "-o", "json")).json();
        assertEquals(
                steady(JSON.convertValue(json, Object.class)),
                steady(JSON.convertValue(ok(with(command, "--format", "json")).json(), Object.class)),
                "--format is -o");
        Object yaml = new Yaml().load(ok(with(command, "-o", "yaml")).out());
        assertEquals(
                steady(JSON.convertValue(json, Object.class)), steady(yaml), "yaml of " + String.join(" ", command));

        List<JsonNode> rows = new ArrayList<>();
        if (json.isArray()) {
            json.forEach(rows::add);
        } else {
            rows.add(json);
        }
        List<String> csv = ok(with(command, "--output", "csv")).lines();
        assertEquals(rows.size() + 1, csv.size(), "header + one line per object: " + csv);
        List<String> columns = List.of(csv.get(0).split(","));
        for (String column : columns) {
            assertTrue(rows.get(0).has(column) || rows.stream().anyMatch(r -> r.has(column)), "csv column " + column);
        }
        if (rows.get(0).path(columns.get(0)).isValueNode()) {
            assertEquals(
                    rows.get(0).path(columns.get(0)).asText(),
                    csv.get(1).split(",")[0].replace("\"", ""));
        }

        List<String> table = ok(command).lines();
        if (json.isArray()) {
            assertEquals(rows.size() + 1, table.size(), "header + one line per object: " + table);
            assertEquals(tableHeader, table.get(0).split("  +")[0], "the view's first column");
            for (int i = 0; i < rows.size(); i++) {
                String key = rows.get(i).has("id") && !rows.get(i).has("type")
                        ? rows.get(i).path("id").asText()
                        : rows.get(i)
                                .path("payload")
                                .path("id")
                                .asText(rows.get(i)
                                        .path("payload")
                                        .path("configuration_value_id")
                                        .asText());
                assertTrue(table.get(i + 1).contains(key), "row " + i + " shows " + key + ": " + table.get(i + 1));
            }
            int second = table.get(0).indexOf(table.get(0).split("  +")[1]);
            for (String line : table.subList(1, table.size())) {
                assertTrue(
                        line.length() <= second || line.charAt(second - 1) == ' ',
                        "aligned columns:\n" + String.join("\n", table));
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
        assertFormatsAgree("ID", "services", "list");
        assertFormatsAgree("ID", "services", "list", "-o", "wide");
        assertFormatsAgree("FIELD", "services", "get", "db-2");
        JsonNode all = ok("services", "list", "--tag", "db", "--format", "json").json();
        assertEquals(List.of("db-1", "db-2", "db-3"), ids(all));
        assertEquals("dfw", all.get(0).path("metadata").path("region").asText());
        assertEquals(
                List.of("db-2"),
                ids(ok("services", "list", "--tag", "primary", "-o", "json").json()));
        String table = ok("services", "get", "db-2").out();
        assertTrue(table.contains("tags               db,primary"), table);
    }

    @Test
    void theServicesTableShowsNameAddressPortStatusAndHowLongAgo() {
        ordersToken = registry.call("POST", "/services/orders-1/heartbeat", "{\"token\":\"" + ordersToken + "\"}")
                .path("token")
                .asText();
        List<String> table = ok("services", "list", "--tag", "api").lines();
        assertEquals(
                List.of("ID", "NAME", "ADDRESS:PORT", "STATUS", "LAST SEEN", "TAGS"),
                List.of(table.get(0).split("  +")));
        assertEquals(3, table.size(), String.join("\n", table));
        assertTrue(
                table.get(1).matches("orders-1 +orders +10\\.0\\.0\\.1:8081 +passing +\\d+s ago +api"), table.get(1));
        assertTrue(table.get(2).matches("orders-2 +orders +10\\.0\\.0\\.2:8082 +new +never +api"), table.get(2));

        List<String> wide = ok("services", "list", "--tag", "api", "-o", "wide").lines();
        assertEquals(
                List.of("ID", "NAME", "ADDRESS:PORT", "STATUS", "LAST SEEN", "TAGS", "TIMEOUT", "EXPIRES", "METADATA"),
                List.of(wide.get(0).split("  +")));
        assertTrue(wide.get(1).matches(".* api +120s +in \\d+m\\d*s? +pid=41"), wide.get(1));
    }

    @Test
    void servicesListFiltersByNameAndTag() {
        assertEquals(
                List.of("orders-1", "orders-2"),
                ids(ok("services", "list", "--name", "orders", "-o", "json").json()));
        assertEquals(
                List.of("orders-1", "orders-2"),
                ids(ok("services", "list", "--name", "orders", "--tag", "api", "-o", "json")
                        .json()));
        assertEquals(
                List.of(),
                ids(ok("services", "list", "--name", "orders", "--tag", "db", "-o", "json")
                        .json()));
        Result nobody = ok("services", "list", "--name", "nobody");
        assertEquals("", nobody.out(), "no rows, no header");
        assertEquals("no services match", nobody.err().strip(), "a table of no rows says so, on stderr");
        Result json = ok("services", "list", "--name", "nobody", "-o", "json");
        assertEquals("", json.err(), "JSON says it with an empty list");
        assertEquals(List.of(), ids(json.json()));
        Result noValues = ok("configuration", "list", "--namespace", "/nothing_here/");
        assertEquals("", noValues.out());
        assertEquals(
                "no configuration values under /nothing_here/", noValues.err().strip());
    }

    @Test
    void servicesDeleteRemovesTheServiceAndAnUnknownIdIsAFault() {
        assertEquals(201, registry.send("POST", "/services", "{\"id\":\"doomed-1\",\"heartbeat_timeout\":120}"));
        Result deleted = ok("services", "delete", "doomed-1");
        assertEquals("", deleted.out());
        assertFalse(registry.hasService("doomed-1"));
        Result again = cli("services", "delete", "doomed-1");
        assertEquals(1, again.code());
        assertTrue(again.err().contains("HTTP 404 notFoundError"), again.err());
        assertEquals(201, registry.send("POST", "/services", "{\"id\":\"doomed-2\",\"heartbeat_timeout\":120}"));
        ok("services", "rm", "doomed-2");
        assertFalse(registry.hasService("doomed-2"), "rm is delete");
    }

    @Test
    void maintenanceOnMarksTheServiceKeepingItsMetadataAndOffClearsIt() {
        assertEquals(
                201,
                registry.send(
                        "POST",
                        "/services",
                        "{\"id\":\"maint-1\",\"heartbeat_timeout\":120,\"tags\":[\"m\"],"
                                + "\"metadata\":{\"service_name\":\"billing\",\"host\":\"10.0.0.9\",\"port\":\"9000\"}}"));
        JsonNode on = ok("services", "maint", "maint-1", "on", "--reason", "disk swap", "-o", "json")
                .json();
        assertEquals("disk swap", on.path("metadata").path("maintenance").asText());
        assertEquals(
                "10.0.0.9",
                registry.service("maint-1").path("metadata").path("host").asText(),
                "the other metadata is kept");
        assertEquals(
                "billing",
                registry.service("maint-1")
                        .path("metadata")
                        .path("service_name")
                        .asText());
        assertTrue(
                ok("services", "list", "--tag", "m")
                        .lines()
                        .get(1)
                        .matches("maint-1 +billing +10\\.0\\.0\\.9:9000 +maint +never +m"),
                ok("services", "list", "--tag", "m").out());

        JsonNode off = ok("services", "maint", "maint-1", "off", "-o", "json").json();
        assertFalse(off.path("metadata").has("maintenance"), off.toString());
        assertEquals(3, registry.service("maint-1").path("metadata").size());
        JsonNode plain = ok("services", "maint", "maint-1", "on", "-o", "json").json();
        assertTrue(plain.path("metadata").path("maintenance").asText().startsWith("since 20"), plain.toString());

        Result bad = cli("services", "maint", "maint-1", "sideways");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("maint expects on or off"), bad.err());
        assertEquals(1, cli("services", "maint", "no-such-service", "on").code());
    }

    @Test
    void yamlKeysAndValuesThatYaml11WouldMisreadComeBackAsStrings() {
        assertEquals(
                201,
                registry.send(
                        "POST",
                        "/services",
                        "{\"id\":\"yaml-1\",\"heartbeat_timeout\":120,\"tags\":[\"yes\",\"123\"],"
                                + "\"metadata\":{\"on\":\"off\",\"true\":\"no\",\"null\":\"~\",\"123\":\"0x1F\",\"y\":\"1:20\"}}"));
        JsonNode json = ok("services", "get", "yaml-1", "-o", "json").json();
        Object yaml =
                new Yaml().load(ok("services", "get", "yaml-1", "-o", "yaml").out());
        assertEquals(JSON.convertValue(json, Object.class), yaml);
    }

    @Test
    void tableCellsWithNewlinesStayOnOneLine() {
        ok("configuration", "set", "/multi/line_value", "first\nsecond\tthird");
        List<String> table =
                ok("configuration", "list", "--namespace", "/multi/").lines();
        assertEquals(List.of("ID                 VALUE", "/multi/line_value  first\\nsecond\\tthird"), table);
        assertEquals(
                "first\nsecond\tthird",
                ok("configuration", "get", "/multi/line_value", "-o", "json")
                        .json()
                        .path("value")
                        .asText());
        assertTrue(ok("configuration", "list", "--namespace", "/multi/", "-o", "csv")
                .out()
                .contains("\"first\nsecond\tthird\""));
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
    void usageErrorsExit2AndPointAtTheCommandsHelp() {
        Result unknownVerb = cli("services", "frobnicate", "db-1");
        assertEquals(2, unknownVerb.code());
        assertTrue(
                unknownVerb.err().contains("unknown command 'frobnicate' for 'autoreg-sidecar services'")
                        && unknownVerb.err().contains("see 'autoreg-sidecar services --help'"),
                unknownVerb.err());
        assertEquals(2, cli("services", "list", "--colour", "red").code());
        assertEquals(2, cli("services", "list", "--format", "xml").code());
        assertEquals(2, cli("services", "get").code());
        assertEquals(2, cli("configuration", "set", "only_an_id").code());
        // an id the registry would refuse with its uninformative fault is refused first, naming the part at fault
        Result shortKey = cli("configuration", "set", "/production/ab", "v");
        assertEquals(2, shortKey.code());
        assertTrue(
                shortKey.err()
                        .contains(
                                "configuration id '/production/ab': key 'ab' is 2 characters, fewer than 3; an id is a key"),
                shortKey.err());
        assertEquals(2, cli("configuration", "list", "--namespace", "/p.d/").code());
        assertEquals(2, cli("services", "list", "--limit", "0").code());
        assertEquals(2, cli("frobnicate").code());
        Result help = cli("configuration", "set", "--help");
        assertEquals(0, help.code());
        assertTrue(
                help.out().startsWith("Usage: autoreg-sidecar configuration set")
                        && help.out().contains("ID VALUE"),
                help.out());
    }

    @Test
    void anUnreachableRegistryExits3() {
        String dead = "http://127.0.0.1:" + FreePorts.next() + "/v1.0/x";
        Result result = cli("services", "list", "--registry-url", dead);
        assertEquals(3, result.code());
        assertEquals(
                "error: registry not reachable at " + dead + ": ",
                result.err()
                        .substring(0, result.err().indexOf(": ", result.err().indexOf(dead) + dead.length()) + 2));
        assertEquals(3, cli("configuration", "set", "k_e_y", "v", "--url", dead).code(), "--url is --registry-url");
    }

    @Test
    void sessionsListAndGet() {
        assertFormatsAgree("ID", "sessions", "list");
        JsonNode sessions = ok("sessions", "list", "--format", "json").json();
        assertEquals(1, sessions.size());
        String id = sessions.get(0).path("id").asText();
        assertEquals(
                "cli-it",
                ok("sessions", "get", id, "--format", "json")
                        .json()
                        .path("metadata")
                        .path("owner")
                        .asText());
        assertFormatsAgree("FIELD", "sessions", "get", id);
    }

    @Test
    void configurationSetGetListRemoveWithNamespaces() {
        ok("configuration", "set", "/production/cassandra/listen_ip", "10.0.0.1");
        ok("configuration", "set", "/production/cassandra2/listen_ip", "10.0.0.2");
        ok("configuration", "set", "plain_key", "a value, with \"quotes\"");
        assertEquals(
                "10.0.0.1",
                ok("configuration", "get", "/production/cassandra/listen_ip", "--format", "json")
                        .json()
                        .path("value")
                        .asText());
        assertEquals(
                List.of("/production/cassandra/listen_ip"),
                ids(ok("configuration", "list", "--namespace", "/production/cassandra/", "--format", "json")
                        .json()));
        assertFormatsAgree("ID", "configuration", "list", "--namespace", "/production/");
        assertFormatsAgree("FIELD", "configuration", "get", "plain_key");
        assertTrue(
                ok("configuration", "list", "--format", "csv")
                        .out()
                        .contains("plain_key,\"a value, with \"\"quotes\"\"\""),
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
        List<String> all = ids(ok("configuration", "list", "--namespace", "/paging/", "--format", "json")
                .json());
        assertEquals(105, all.size(), "every page, not just the first 100");
        assertEquals("/paging/key_104", all.get(104));

        Result page = ok("configuration", "list", "--namespace", "/paging/", "--limit", "10", "--format", "json");
        assertEquals(all.subList(0, 10), ids(page.json()));
        assertTrue(page.err().contains("more: --marker /paging/key_010"), page.err());
        Result next = ok(
                "configuration",
                "list",
                "--namespace",
                "/paging/",
                "--limit",
                "10",
                "--marker",
                "/paging/key_010",
                "--format",
                "json");
        assertEquals(all.subList(10, 20), ids(next.json()));
    }

    @Test
    void eventsListByTypeInEveryFormat() {
        ok("configuration", "set", "evented_key", "one");
        ok("configuration", "set", "evented_key", "two");
        JsonNode updates = ok("events", "list", "--type", "configuration_value.update", "--format", "json")
                .json();
        assertTrue(updates.size() >= 2);
        updates.forEach(event ->
                assertEquals("configuration_value.update", event.path("type").asText()));
        JsonNode joins = ok("events", "list", "--type", "service.join", "--format", "json")
                .json();
        assertEquals(
                List.of("db-1", "db-2", "db-3"),
                joins.findValuesAsText("id").stream()
                        .filter(id -> id.startsWith("db-"))
                        .toList());
        assertFormatsAgree("TIME", "events", "list", "--type", "service.join");
        List<String> table =
                ok("events", "list", "--type", "configuration_value.update").lines();
        assertEquals(
                List.of("TIME", "TYPE", "SUBJECT", "DETAIL"),
                List.of(table.get(0).split("  +")));
        assertTrue(
                table.stream()
                        .anyMatch(
                                line -> line.matches("\\d+s ago +configuration_value.update +evented_key +one -> two")),
                String.join("\n", table));
    }

    @Test
    void limitsInEveryFormat() {
        JsonNode limits = ok("limits", "--format", "json").json();
        assertTrue(limits.path("resource").path("service").asInt() > 0, limits.toString());
        assertFormatsAgree("FIELD", "limits");
        assertTrue(ok("limits").out().contains("resource.configuration_value"), "nested keys flattened in the table");
    }

    @Test
    void eventsFollowPrintsNewEventsAsTheyHappenStopsCleanlyOnASignalAndGoesOnAfterTheMarkerItPrinted() {
        String resumeAfter;
        try (Child follow = Child.java(
                Jars.sidecar(),
                List.of(
                        "events",
                        "list",
                        "--follow",
                        "--type",
                        "configuration_value.update",
                        "--format",
                        "csv",
                        "--url",
                        registry.url()),
                Map.of(),
                dir,
                "follow")) {
            follow.awaitStdout("^(id,timestamp,type,payload)", Duration.ofSeconds(15));
            ok("configuration", "set", "followed_key", "first");
            follow.awaitStdout("(followed_key,old_value=,new_value=first)", Duration.ofSeconds(10));
            ok("configuration", "set", "followed_key", "second");
            String second = follow.awaitStdout(
                    "(?m)^([0-9a-f-]{36}),.*followed_key,old_value=first,new_value=second", Duration.ofSeconds(10));
            assertTrue(follow.process().isAlive(), "still following");
            long headers = follow.stdout()
                    .lines()
                    .filter(line -> line.startsWith("id,"))
                    .count();
            assertEquals(1, headers, follow.stdout());

            follow.terminate(); // SIGTERM runs the shutdown hooks as Ctrl-C's SIGINT does
            assertEquals(143, follow.awaitExit(Duration.ofSeconds(20)), "ended by the signal: " + follow.stderr());
            assertTrue(
                    follow.stderr()
                            .contains("stopped following the events feed; to go on from here: --follow --after "
                                    + second),
                    follow.stderr());
            resumeAfter = second;
        }
        ok("configuration", "set", "followed_key", "third");
        try (Child resumed = Child.java(
                Jars.sidecar(),
                List.of(
                        "events",
                        "list",
                        "--follow",
                        "--type",
                        "configuration_value.update",
                        "--after",
                        resumeAfter,
                        "--format",
                        "csv",
                        "--url",
                        registry.url()),
                Map.of(),
                dir,
                "follow-after")) {
            resumed.awaitStdout("(followed_key,old_value=second,new_value=third)", Duration.ofSeconds(15));
            assertFalse(
                    resumed.stdout().contains("new_value=second"),
                    "the marker event is not printed again:\n" + resumed.stdout());
        }
    }

    @Test
    void eventsFollowEndsLikeTheOneShotVerbsWhenTheRegistryRefusesOrIsUnreachable() {
        Result refused = cli("events", "list", "--follow", "--type", "service.explode");
        assertEquals(1, refused.code(), refused.err());
        assertTrue(refused.err().startsWith("error: list events failed: HTTP 400"), refused.err());

        Result down =
                cli("events", "list", "--follow", "--registry-url", "http://127.0.0.1:" + FreePorts.next() + "/v1.0/x");
        assertEquals(3, down.code(), down.err());
        assertTrue(down.err().startsWith("error: registry not reachable"), down.err());

        Result usage = cli("events", "list", "--after", "00000000-0000-1000-8000-000000000000");
        assertEquals(2, usage.code(), usage.err());
        assertTrue(usage.err().contains("--after applies to 'list --follow' only"), usage.err());
    }

    @Test
    void theUrlComesFromFlagsThenEnvironmentThenConfigFile() throws IOException {
        String dead = "http://127.0.0.1:" + FreePorts.next() + "/v1.0/x";
        Path config = Files.writeString(dir.resolve("cli.conf"), "autoreg.registry.url = \"" + registry.url() + "\"\n");

        assertEquals(0, jar(List.of("services", "list", "--config", config.toString()), Map.of()), "config file");
        assertEquals(
                3,
                jar(List.of("services", "list", "--config", config.toString()), Map.of("AUTOREG_REGISTRY_URL", dead)),
                "the environment beats the file");
        assertEquals(
                0,
                jar(List.of("services", "list", "--url", registry.url()), Map.of("AUTOREG_REGISTRY_URL", dead)),
                "a flag beats the environment");
        assertEquals(
                0,
                jar(
                        List.of("services", "list"),
                        Map.of("AUTOREG_REGISTRY_URL", registry.url(), "AUTOREG_CONFIG", config.toString())),
                "AUTOREG_CONFIG names the file");
    }

    @Test
    void theJarExitsWith0Ok1Fault2Usage3Unreachable() {
        assertEquals(0, jar(List.of("services", "list", "--registry-url", registry.url()), Map.of()));
        try (Child fault = Child.java(
                Jars.sidecar(),
                List.of("services", "get", "nope-nope", "--registry-url", registry.url()),
                Map.of(),
                dir,
                "exit1")) {
            assertEquals(1, fault.awaitExit(Duration.ofSeconds(20)));
            assertTrue(
                    fault.stderr().startsWith("error: get service nope-nope failed: HTTP 404 notFoundError"),
                    fault.stderr());
        }
        try (Child usage = Child.java(Jars.sidecar(), List.of("services", "lst"), Map.of(), dir, "exit2")) {
            assertEquals(2, usage.awaitExit(Duration.ofSeconds(20)));
            assertTrue(usage.stderr().contains("did you mean: list or ls?"), usage.stderr());
        }
        try (Child down = Child.java(
                Jars.sidecar(),
                List.of("limits", "--registry-url", "http://127.0.0.1:" + FreePorts.next() + "/v1.0/x"),
                Map.of(),
                dir,
                "exit3")) {
            assertEquals(3, down.awaitExit(Duration.ofSeconds(20)));
            assertTrue(down.stderr().startsWith("error: registry not reachable"), down.stderr());
        }
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
