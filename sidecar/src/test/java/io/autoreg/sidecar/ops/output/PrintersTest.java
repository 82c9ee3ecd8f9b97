package io.autoreg.sidecar.ops.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class PrintersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long NOW = 1_795_307_054_828L;

    private static List<JsonNode> rows(String json) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        JSON.readTree(json).forEach(rows::add);
        return rows;
    }

    private static String list(OutputFormat format, List<JsonNode> rows, TableView view) {
        StringWriter out = new StringWriter();
        format.printer(() -> NOW).list(rows, view, new PrintWriter(out, true));
        return out.toString();
    }

    private static String list(OutputFormat format, List<JsonNode> rows) {
        return list(format, rows, null);
    }

    private static String one(OutputFormat format, JsonNode node) {
        StringWriter out = new StringWriter();
        format.printer(() -> NOW).one(node, new PrintWriter(out, true));
        return out.toString();
    }

    @Test
    void aTableAlignsColumnsToTheWidestCellAndRendersListsAndMaps() throws IOException {
        String table = list(
                OutputFormat.TABLE,
                rows("[{\"id\":\"db-1\",\"tags\":[\"a\",\"b\"],\"metadata\":{\"k\":\"v\"},\"last_seen\":null},"
                        + "{\"id\":\"a-much-longer-id\",\"tags\":[],\"metadata\":{},\"last_seen\":17}]"));
        assertEquals(
                String.join(
                        "\n",
                        "ID                TAGS  METADATA  LAST_SEEN",
                        "db-1              a,b   k=v",
                        "a-much-longer-id                  17",
                        ""),
                table);
    }

    @Test
    void aViewPicksTheColumnsAndWideAddsItsOwn() throws IOException {
        TableView view = TableView.of(
                Column.field("ID", "id"),
                Column.of("SEEN", (row, now) -> HumanTime.relative(row.path("t").asLong(), now)),
                Column.wide("EXTRA", (row, now) -> row.path("x").asText()));
        List<JsonNode> rows = rows("[{\"id\":\"a\",\"t\":" + (NOW - 12_000) + ",\"x\":\"more\"},{\"id\":\"bb\",\"t\":"
                + (NOW - 130_000) + ",\"x\":\"\"}]");
        assertEquals(
                String.join("\n", "ID  SEEN", "a   12s ago", "bb  2m10s ago", ""),
                list(OutputFormat.TABLE, rows, view));
        assertEquals(
                String.join("\n", "ID  SEEN       EXTRA", "a   12s ago    more", "bb  2m10s ago", ""),
                list(OutputFormat.WIDE, rows, view));
    }

    @Test
    void tableCellsStayOnOneLineWhateverTheValueHolds() throws IOException {
        String table = list(
                OutputFormat.TABLE,
                rows(
                        "[{\"id\":\"k\",\"value\":\"two\\nlines\\tand\\u001b[31mred\"},{\"id\":\"k2\",\"value\":\"ü ✓\"}]"));
        assertEquals(String.join("\n", "ID  VALUE", "k   two\\nlines\\tand\\u001b[31mred", "k2  ü ✓", ""), table);
        assertEquals(3, table.lines().count());
        String one = one(OutputFormat.TABLE, JSON.readTree("{\"id\":\"k\",\"value\":\"a\\r\\nb\"}"));
        assertEquals(String.join("\n", "FIELD  VALUE", "id     k", "value  a\\r\\nb", ""), one);
    }

    @Test
    void csvQuotesCommasQuotesAndNewlines() throws IOException {
        String csv = list(OutputFormat.CSV, rows("[{\"id\":\"x\",\"value\":\"a, \\\"b\\\"\\nc\"}]"));
        assertEquals("id,value\r\nx,\"a, \"\"b\"\"\nc\"\r\n", csv);
    }

    /** The keys and strings YAML 1.1 (PyYAML's and SnakeYAML's) would turn into booleans, nulls or numbers. */
    private static final String AWKWARD =
            "{\"on\":\"off\",\"true\":\"yes\",\"null\":\"~\",\"123\":\"0x1F\",\"y\":\"n\",\"No\":\"NULL\","
                    + "\"1.5\":\"1_000\",\"-1\":\"+1\",\".inf\":\".NaN\",\"1:20\":\"2001-12-14\",\"0o17\":\"0b101\",\"\":\"\","
                    + "\"id\":\"yes\",\"n\":\"007\",\"colon: key\":\"- dash\",\"hash #\":\"# comment\",\"nested\":{\"list\":[1,[2,3],{\"a\":null}],"
                    + "\"emptyList\":[],\"emptyMap\":{}},\"unicode\":\"ü ✓ \\t tab\\nnewline\",\"big\":1795307054828,\"flag\":true,\"nothing\":null}";

    @Test
    void yamlReadsBackInYaml11AsTheSameTreeEvenForAwkwardKeysAndStrings() throws IOException {
        JsonNode tricky = JSON.readTree(AWKWARD);
        String yaml = one(OutputFormat.YAML, tricky);
        // SnakeYAML's default resolver is YAML 1.1's, the one PyYAML implements
        assertEquals(JSON.convertValue(tricky, Object.class), new Yaml().load(yaml), yaml);
        assertTrue(yaml.contains("\"on\": \"off\"") && yaml.contains("\"123\": \"0x1F\""), yaml);

        List<JsonNode> rows = List.of(tricky, JSON.readTree("{\"id\":\"second\"}"));
        assertEquals(JSON.convertValue(rows, Object.class), new Yaml().load(list(OutputFormat.YAML, rows)));
        assertEquals(List.of(), new Yaml().load(list(OutputFormat.YAML, List.of())));
    }

    @Test
    void yamlReadsBackInPyYamlWhereItIsInstalled() throws Exception {
        JsonNode tricky = JSON.readTree(AWKWARD);
        Path yaml = Files.createTempFile("autoreg-yaml", ".yaml");
        try {
            Files.writeString(yaml, one(OutputFormat.YAML, tricky), StandardCharsets.UTF_8);
            String script =
                    "import json,sys\ntry:\n import yaml\nexcept ImportError:\n print('NO-PYYAML'); sys.exit(0)\n"
                            + "print(json.dumps(yaml.safe_load(open(sys.argv[1], encoding='utf-8'))))";
            Process python;
            try {
                python = new ProcessBuilder("python3", "-c", script, yaml.toString())
                        .redirectErrorStream(true)
                        .start();
            } catch (IOException noPython) {
                // no python3 on this machine: the SnakeYAML check above is the YAML 1.1 reader then
                return;
            }
            assertTrue(python.waitFor(30, TimeUnit.SECONDS), "python3 finished");
            String answer = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertEquals(0, python.exitValue(), answer);
            if (!answer.equals("NO-PYYAML")) {
                assertEquals(tricky, JSON.readTree(answer), "PyYAML's reading of\n" + Files.readString(yaml));
            }
        } finally {
            Files.delete(yaml);
        }
    }

    @Test
    void oneObjectAsATableIsFieldValueRowsWithNestedKeysDottedAndTimesReadable() throws IOException {
        String table = one(
                OutputFormat.TABLE, JSON.readTree("{\"resource\":{\"service\":200},\"rate\":{\"/.*\":{\"limit\":5}}}"));
        assertEquals(
                String.join("\n", "FIELD             VALUE", "resource.service  200", "rate./.*.limit    5", ""),
                table);
        String service = one(OutputFormat.TABLE, JSON.readTree("{\"id\":\"s\",\"last_seen\":" + (NOW - 5_000) + "}"));
        assertTrue(
                service.contains("last_seen  " + java.time.Instant.ofEpochMilli(NOW - 5_000) + " (5s ago)"), service);
    }

    @Test
    void anEmptyListPrintsNothingInTableAndCsvAndAnEmptyArrayInJson() {
        assertEquals("", list(OutputFormat.TABLE, List.of()));
        assertEquals("", list(OutputFormat.CSV, List.of()));
        assertEquals("[ ]", list(OutputFormat.JSON, List.of()).strip());
    }

    @Test
    void humanTimesUseTwoUnitsAtMost() {
        assertEquals("0s ago", HumanTime.relative(NOW, NOW));
        assertEquals("12s ago", HumanTime.relative(NOW - 12_400, NOW));
        assertEquals("in 18s", HumanTime.relative(NOW + 18_000, NOW));
        assertEquals("4m ago", HumanTime.relative(NOW - 240_000, NOW));
        assertEquals("12m ago", HumanTime.relative(NOW - 725_000, NOW));
        assertEquals("3h5m ago", HumanTime.relative(NOW - (3 * 3600 + 5 * 60 + 9) * 1000L, NOW));
        assertEquals("2d1h ago", HumanTime.relative(NOW - (49 * 3600) * 1000L, NOW));
    }
}
