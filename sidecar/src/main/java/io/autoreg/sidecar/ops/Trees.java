package io.autoreg.sidecar.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/** The client's model records as JSON trees, the one shape every output format prints. */
final class Trees {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Trees() {}

    static JsonNode of(Object value) {
        return MAPPER.valueToTree(value);
    }

    static List<JsonNode> of(List<?> values) {
        List<JsonNode> trees = new ArrayList<>(values.size());
        values.forEach(value -> trees.add(of(value)));
        return trees;
    }
}
