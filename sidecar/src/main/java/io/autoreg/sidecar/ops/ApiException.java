package io.autoreg.sidecar.ops;

import com.fasterxml.jackson.databind.JsonNode;

/** The registry answered 4xx/5xx; carries the spec's fault body so the CLI can print it whole. */
final class ApiException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final transient JsonNode fault;

    ApiException(int status, JsonNode fault, String rawBody) {
        super(describe(status, fault, rawBody));
        this.status = status;
        this.fault = fault;
    }

    int status() {
        return status;
    }

    JsonNode fault() {
        return fault;
    }

    private static String describe(int status, JsonNode fault, String rawBody) {
        if (fault == null || !fault.has("type")) {
            return "HTTP " + status + (rawBody == null || rawBody.isBlank() ? "" : ": " + rawBody.strip());
        }
        StringBuilder text = new StringBuilder("HTTP ").append(status).append(' ').append(fault.path("type").asText());
        if (fault.hasNonNull("message")) {
            text.append(": ").append(fault.get("message").asText());
        }
        if (fault.hasNonNull("details") && !fault.get("details").asText().isEmpty()) {
            text.append(" (").append(fault.get("details").asText()).append(')');
        }
        if (fault.hasNonNull("txnId")) {
            text.append(" [txnId ").append(fault.get("txnId").asText()).append(']');
        }
        return text.toString();
    }
}
