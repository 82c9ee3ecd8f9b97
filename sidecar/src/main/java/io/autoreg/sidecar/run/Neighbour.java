package io.autoreg.sidecar.run;

import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.core.internal.settings.ServiceSettings;
import io.autoreg.core.internal.settings.SettingsException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A watched neighbour: its check and the instance registered for it while it is healthy. */
record Neighbour(CheckSettings check, ServiceInstance instance) {

    /**
     * Builds one instance per check: the neighbour's port (never the sidecar's), the advertised address,
     * the service's tags and metadata plus the check's own, and an id unique among the checks
     * ({@code autoreg.service.id} is used only when there is a single check without an id of its own).
     */
    static List<Neighbour> of(List<CheckSettings> checks, ServiceSettings service, String address) {
        Map<String, Integer> seen = new HashMap<>();
        List<Neighbour> out = new ArrayList<>();
        for (int i = 0; i < checks.size(); i++) {
            CheckSettings check = checks.get(i);
            String id = check.id() != null
                    ? check.id()
                    : checks.size() == 1 && service.id() != null ? service.id() : defaultId(check, address);
            Integer previous = seen.putIfAbsent(id, i);
            if (previous != null) {
                throw new SettingsException("autoreg.sidecar.checks: two neighbours would register as '" + id
                        + "'; give each check its own id or port");
            }
            LinkedHashSet<String> tags = new LinkedHashSet<>(service.tags());
            tags.addAll(check.tags());
            Map<String, String> metadata = new LinkedHashMap<>(service.metadata());
            metadata.putAll(check.metadata());
            metadata.put("port", String.valueOf(check.port()));
            metadata.put("host", address);
            metadata.put("check", check.type().name().toLowerCase(Locale.ROOT));
            metadata.put("registered_by", "autoreg-sidecar");
            out.add(new Neighbour(
                    check, new ServiceInstance(id, check.name(), address, check.port(), List.copyOf(tags), metadata)));
        }
        return out;
    }

    /** {@code <name>-<address>-<port>}, with characters the registry does not allow in ids (IPv6 colons) made dashes. */
    private static String defaultId(CheckSettings check, String address) {
        String id = check.name() + "-" + address + "-" + check.port();
        String safe = id.replaceAll("[^a-zA-Z0-9_.-]", "-");
        return safe.length() > 65 ? safe.substring(0, 65) : safe;
    }
}
