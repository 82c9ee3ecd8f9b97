package io.autoreg.registry.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** One HTTP answer as the suites see it: status, headers (lower-case names) and the raw body. */
public record Answer(String request, int status, Map<String, List<String>> headers, String body) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The body parsed as JSON; fails the test (naming the request) when it is not JSON. */
    public JsonNode json() {
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + this, e);
        }
    }

    public boolean isJson() {
        try {
            return body != null && !body.isEmpty() && MAPPER.readTree(body) != null;
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        String shown = body == null ? "" : body.length() > 400 ? body.substring(0, 400) + "…" : body;
        return request + " -> " + status + " " + shown;
    }
}
