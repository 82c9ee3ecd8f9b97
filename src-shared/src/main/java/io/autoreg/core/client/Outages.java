package io.autoreg.core.client;

import java.io.IOException;

/** Which failures mean "the registry is unreachable or in trouble" rather than "your request is wrong". */
final class Outages {

    private Outages() {}

    static boolean isOutage(IOException e) {
        return !(e instanceof RegistryApiException api) || api.isTransient();
    }
}
