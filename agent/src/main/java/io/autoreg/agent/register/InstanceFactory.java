package io.autoreg.agent.register;

import io.autoreg.agent.listen.Listener;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.core.internal.settings.ServiceSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds what gets registered for a listener: name (configured, else derived from the main class or
 * jar), id {@code <name>-<host>-<port>} (a configured id gets {@code -<port>} in per-port mode), the
 * advertised host, and the configured metadata plus {@code port}, {@code ports}, {@code host},
 * {@code pid}, {@code java_version} and {@code main}.
 */
final class InstanceFactory {

    private static final int MAX_ID = 65;
    private static final int MAX_VALUE = 255;

    private final ServiceSettings service;
    private final MainIdentity main;
    private final AdvertisedHost wildcardHost;

    /** @param wildcardHost the advertised address for listeners bound to the wildcard address */
    InstanceFactory(ServiceSettings service, MainIdentity main, String wildcardHost) {
        this(service, main, AdvertisedHost.of(wildcardHost));
    }

    /** @param wildcardHost the advertised address for listeners bound to the wildcard address, chosen when first needed */
    InstanceFactory(ServiceSettings service, MainIdentity main, AdvertisedHost wildcardHost) {
        this.service = service;
        this.main = main;
        this.wildcardHost = wildcardHost;
    }

    String serviceName() {
        return service.name() != null ? service.name() : main.serviceName();
    }

    ServiceInstance create(Listener primary, Collection<Integer> allPorts, boolean perPort) {
        String host = host(primary);
        String name = serviceName();
        int port = primary.port();
        String id = service.id() != null ? (perPort ? service.id() + "-" + port : service.id()) : id(name, host, port);
        Map<String, String> metadata = new LinkedHashMap<>(service.metadata());
        metadata.put("port", Integer.toString(port));
        StringBuilder ports = new StringBuilder();
        for (int p : allPorts) {
            ports.append(ports.length() > 0 ? "," : "").append(p);
        }
        metadata.put("ports", ports.toString());
        metadata.put("host", host);
        metadata.put("pid", PID);
        metadata.put("java_version", System.getProperty("java.version", "unknown"));
        metadata.put("main", clip(main.main()));
        return new ServiceInstance(id, name, host, port, service.tags(), metadata);
    }

    private static final String PID = pidOfThisJvm();

    /**
     * On Linux {@code /proc/self} names the pid without initialising {@code ProcessHandle} (whose static set-up
     * spins lambdas: start-up cost on the agent's path); elsewhere, or if it looks odd, {@code ProcessHandle}.
     */
    private static String pidOfThisJvm() {
        try {
            String self = Files.readSymbolicLink(Path.of("/proc/self")).toString();
            boolean digits = !self.isEmpty();
            for (int i = 0; i < self.length(); i++) {
                digits &= Character.isDigit(self.charAt(i));
            }
            if (digits) {
                return self;
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: fall through
        }
        return Long.toString(ProcessHandle.current().pid());
    }

    private String host(Listener listener) {
        if (listener.isWildcard() || service.address() != null) {
            return wildcardHost.address();
        }
        return listener.host().getHostAddress();
    }

    static String id(String name, String host, int port) {
        String suffix = "-" + sanitize(host) + "-" + port;
        String prefix = sanitize(name);
        if (prefix.length() + suffix.length() > MAX_ID) {
            prefix = prefix.substring(0, Math.max(1, MAX_ID - suffix.length()));
        }
        String id = prefix + suffix;
        return id.length() > MAX_ID ? id.substring(id.length() - MAX_ID) : id;
    }

    /** Anything outside {@code [A-Za-z0-9_.-]} becomes {@code -} (an IPv6 address's colons, say). */
    private static String sanitize(String part) {
        char[] chars = part.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            char c = chars[i];
            if (!(c < 128 && Character.isLetterOrDigit(c)) && c != '_' && c != '.' && c != '-') {
                chars[i] = '-';
            }
        }
        return new String(chars);
    }

    private static String clip(String value) {
        return value.length() <= MAX_VALUE ? value : value.substring(value.length() - MAX_VALUE);
    }
}
