package io.autoreg.agent.register;

import io.autoreg.core.internal.log.Log;
import io.autoreg.core.internal.net.AddressResolver;
import java.util.Map;

/**
 * The address advertised for a listener bound to the wildcard address (or for every listener when
 * {@code autoreg.service.address} is set), chosen the first time one needs it: a listener bound to one
 * address advertises that address, and then the network interfaces are never enumerated
 * ({@link AddressResolver}'s walk is one of the agent's one-time costs after start, docs/benchmarks.md,
 * "issue 16, part 3"). Confined to the agent's thread.
 */
final class AdvertisedHost {

    private final String configured;
    private final Map<String, String> env;
    private String address;

    AdvertisedHost(String configured, Map<String, String> env) {
        this.configured = configured;
        this.env = env;
    }

    /** A fixed address (tests). */
    static AdvertisedHost of(String address) {
        AdvertisedHost host = new AdvertisedHost(address, Map.of());
        host.address = address;
        return host;
    }

    /** Whether the address has been chosen (the interfaces enumerated, unless configured or {@code POD_IP}). */
    boolean chosen() {
        return address != null;
    }

    String address() {
        if (address == null) {
            AddressResolver.Advertised advertised = AddressResolver.resolve(configured, env);
            address = advertised.address();
            Log.info("advertising " + address + " (" + advertised.source() + ")");
        }
        return address;
    }
}
