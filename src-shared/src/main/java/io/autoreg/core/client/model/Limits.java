package io.autoreg.core.client.model;

import java.util.Map;

/**
 * {@code GET /limits}: resource quotas ({@code service}, {@code session}, {@code configuration_value})
 * and request-rate limits by path pattern.
 */
public record Limits(Map<String, Integer> resource, Map<String, Rate> rate) {

    public record Rate(long limit, long used, String window) {}
}
