package io.autoreg.core.client.model;

import java.util.List;

/** The list envelope: {@code {"values":[…],"metadata":{…}}}. */
public record Page<T>(List<T> values, PageMetadata metadata) {

    public boolean hasNext() {
        return metadata != null && metadata.nextMarker() != null;
    }
}
