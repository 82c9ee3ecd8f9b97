package io.autoreg.core.client;

import io.autoreg.core.client.model.Service;
import java.time.Instant;
import java.util.List;

/**
 * Every service (of one tag, or all), as last fetched. {@code stale} is true when the registry could
 * not be reached and this is the last good answer, fetched at {@code fetchedAt} (docs/api.md §8).
 */
public record ServiceList(List<Service> services, boolean stale, Instant fetchedAt) {

    public ServiceList {
        services = List.copyOf(services);
    }

    ServiceList asStale() {
        return new ServiceList(services, true, fetchedAt);
    }
}
