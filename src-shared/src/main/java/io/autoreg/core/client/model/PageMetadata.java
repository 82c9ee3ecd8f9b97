package io.autoreg.core.client.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The {@code metadata} of every list envelope. {@code marker} is inclusive: the id of the first item
 * of the page; {@code nextMarker} is the first item of the next page, null on the last page.
 */
public record PageMetadata(
        int count,
        int limit,
        String marker,
        @JsonProperty("next_marker") String nextMarker,
        @JsonProperty("next_href") String nextHref) {}
