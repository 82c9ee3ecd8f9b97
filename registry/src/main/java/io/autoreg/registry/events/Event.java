package io.autoreg.registry.events;

import io.autoreg.registry.http.JsonText;

/** One entry of the events feed; the payload is kept as JSON text, ready to write. */
public record Event(String id, long timestamp, String type, String payloadJson) {

    public void writeTo(StringBuilder sb) {
        sb.append("{\"id\":\"")
                .append(id)
                .append("\",\"timestamp\":")
                .append(timestamp)
                .append(",\"type\":");
        JsonText.string(sb, type);
        sb.append(",\"payload\":").append(payloadJson).append('}');
    }
}
