package io.autoreg.core.internal.settings;

import java.util.List;
import java.util.Map;

/**
 * {@code autoreg.service.*}: what gets registered.
 *
 * @param name     service name, or null to derive it (main class / jar / command)
 * @param id       instance id, or null for {@code <name>-<host>-<port>}
 * @param tags     configured tags
 * @param metadata configured metadata
 * @param address  advertised address, or null for POD_IP, else the first site-local address
 */
public record ServiceSettings(String name, String id, List<String> tags, Map<String, String> metadata, String address) {
    public ServiceSettings {
        tags = List.copyOf(tags);
        metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
    }
}
