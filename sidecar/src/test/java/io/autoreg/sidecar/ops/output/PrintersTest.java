package io.autoreg.sidecar.ops.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PrintersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonNode> rows(String json) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        JSON.readTree(json).forEach(rows::add);
        return rows;
    }

    private static String list(OutputFormat format, List<JsonNode> rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        format.printer().list(rows, new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String one(OutputFormat format, JsonNode node) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        format.printer().one(node, new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aTableAlignsColumnsToTheWidestCellAndRendersListsAndMaps() throws IOException {
        String table = list(OutputFormat.TABLE, rows("[{\"id\":\"db-1\",\"tags\":[\"a\",\"b\"],\"metadata\":{\"k\":\"v\"},\"last_seen\":null},"
                + "{\"id\":\"a-much-longer-id\",\"tags\":[],\"metadata\":{},\"last_seen\":17}]"));
        assertEquals(String.join("\n",
                "ID                TAGS  METADATA  LAST_SEEN",
                "db-1              a,b   k=v",
                "a-much-longer-id                  17", ""), table);
    }

    @Test
    void csvQuotesCommasQuotesAndNewlines() throws IOException {
        String csv = list(OutputFormat.CSV, rows("[{\"id\":\"x\",\"value\":\"a, \\\"b\\\"\\nc\"}]"));
        assertEquals("id,value\r\nx,\"a, \"\"b\"\"\nc\"\r\n", csv);
    }

    @Test
    void yamlReadsBackAsTheSameTreeEvenForAwkwardStringsAndKeys() throws IOException {
        JsonNode tricky = JSON.readTree("{\"id\":\"yes\",\"n\":\"007\",\"empty\":\"\",\"colon: key\":\"- dash\",\"nested\":{\"list\":[1,[2,3],{\"a\":null}],"
                + "\"emptyList\":[],\"emptyMap\":{}},\"unicode\":\"ü ✓ \\t tab\",\"big\":1795307054828,\"flag\":true}");
        Object read = new Yaml().load(one(OutputFormat.YAML, tricky));
        assertEquals(JSON.convertValue(tricky, Object.class), read);

        List<JsonNode> rows = List.of(tricky, JSON.readTree("{\"id\":\"second\"}"));
        assertEquals(JSON.convertValue(rows, Object.class), new Yaml().load(list(OutputFormat.YAML, rows)));
        assertEquals(List.of(), new Yaml().load(list(OutputFormat.YAML, List.of())));
    }

    @Test
    void oneObjectAsATableIsFieldValueRowsWithNestedKeysDotted() throws IOException {
        String table = one(OutputFormat.TABLE, JSON.readTree("{\"resource\":{\"service\":200},\"rate\":{\"/.*\":{\"limit\":5}}}"));
        assertEquals(String.join("\n", "FIELD             VALUE", "resource.service  200", "rate./.*.limit    5", ""), table);
    }

    @Test
    void anEmptyListPrintsNothingInTableAndCsvAndAnEmptyArrayInJson() {
        assertEquals("", list(OutputFormat.TABLE, List.of()));
        assertEquals("", list(OutputFormat.CSV, List.of()));
        assertEquals("[ ]", list(OutputFormat.JSON, List.of()).strip());
    }
}
