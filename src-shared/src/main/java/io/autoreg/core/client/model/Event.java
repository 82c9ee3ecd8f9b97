package io.autoreg.core.client.model;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One entry of the events feed. {@code payload} depends on {@code type}: a service
 * ({@code service.join|remove|timeout}) or {@code {"configuration_value_id","old_value","new_value"}}.
 */
public record Event(String id, long timestamp, String type, JsonNode payload) {

    public static final String SERVICE_JOIN = "service.join";
    public static final String SERVICE_REMOVE = "service.remove";
    public static final String SERVICE_TIMEOUT = "service.timeout";
    public static final String CONFIGURATION_UPDATE = "configuration_value.update";
    public static final String CONFIGURATION_REMOVE = "configuration_value.remove";
}
