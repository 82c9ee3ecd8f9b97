package io.autoreg.registry.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

/** Assertions on the fault body that docs/api.md (§1) requires on every error answer. */
public final class Faults {
    private Faults() {}

    /** Status {@code code}, fault {@code type}, and the full fault shape. */
    public static JsonNode assertFault(Answer answer, int code, String type) {
        JsonNode fault = assertFaultShape(answer, code);
        assertEquals(type, fault.path("type").asText(), () -> "fault type of " + answer);
        return fault;
    }

    /** Status {@code code} and a body {type, code, message, details, txnId == X-Response-Id}. */
    public static JsonNode assertFaultShape(Answer answer, int code) {
        assertEquals(code, answer.status(), () -> "status of " + answer);
        assertJsonContentType(answer);
        JsonNode fault = answer.json();
        assertTrue(
                fault.path("type").isTextual() && !fault.path("type").asText().isEmpty(),
                () -> "fault type missing: " + answer);
        assertEquals(code, fault.path("code").asInt(-1), () -> "fault code of " + answer);
        assertTrue(fault.path("message").isTextual(), () -> "fault message missing: " + answer);
        assertTrue(fault.has("details"), () -> "fault details missing: " + answer);
        String responseId =
                answer.header("X-Response-Id").orElseThrow(() -> new AssertionError("no X-Response-Id: " + answer));
        assertEquals(responseId, fault.path("txnId").asText(), () -> "txnId != X-Response-Id: " + answer);
        return fault;
    }

    /** The message and details together, for checking what a fault names. */
    public static String text(JsonNode fault) {
        return fault.path("message").asText() + " | " + fault.path("details").asText();
    }

    public static void assertJsonContentType(Answer answer) {
        String type = answer.header("Content-Type").orElse("");
        assertTrue(
                type.toLowerCase().replace(" ", "").startsWith("application/json"),
                () -> "Content-Type '" + type + "' of " + answer);
    }

    public static void assertStatus(int expected, Answer answer) {
        assertEquals(expected, answer.status(), () -> "status of " + answer);
    }
}
