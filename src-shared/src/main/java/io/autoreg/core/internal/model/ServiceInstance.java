package io.autoreg.core.internal.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One registrable instance of a service, as every backend sees it: a stable id, the logical service
 * name, the advertised address and port, and free-form tags and metadata. Immutable.
 *
 * @param id       unique instance id, {@code ^[a-zA-Z0-9_.-]{3,65}$} (default {@code <name>-<host>-<port>})
 * @param name     logical service name (Eureka app, Consul service, etcd/ZooKeeper path segment)
 * @param address  advertised host address (IP literal or host name), never a wildcard
 * @param port     advertised port, 1..65535
 * @param tags     tags, in order, no duplicates
 * @param metadata metadata, insertion-ordered
 */
public record ServiceInstance(
        String id, String name, String address, int port, List<String> tags, Map<String, String> metadata) {
    public ServiceInstance {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        tags = List.copyOf(tags == null ? List.of() : tags);
        metadata = metadata == null
                ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
    }

    /** A copy with other metadata (for example after a second listener appeared). */
    public ServiceInstance withMetadata(Map<String, String> newMetadata) {
        return new ServiceInstance(id, name, address, port, tags, newMetadata);
    }
}
