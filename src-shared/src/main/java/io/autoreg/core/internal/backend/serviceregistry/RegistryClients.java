package io.autoreg.core.internal.backend.serviceregistry;

import io.autoreg.core.client.ServiceRegistryClient;
import io.autoreg.core.internal.http.HttpClients;
import io.autoreg.core.internal.settings.RegistrySettings;

/**
 * The internal entry point from {@code autoreg.registry.*} to a {@link ServiceRegistryClient}, for autoreg's own
 * front ends (this backend, the sidecar's ops commands). It lives here, not on the client, because
 * {@link RegistrySettings} is internal and the client API must not mention it (docs/architecture.md, "Public
 * API and internal packages"); it only uses the public builder, as a user would.
 */
public final class RegistryClients {

    private RegistryClients() {}

    /** A client with the settings' URL, static token or credentials, timeouts and TLS files. */
    public static ServiceRegistryClient of(RegistrySettings settings) {
        ServiceRegistryClient.Builder b =
                ServiceRegistryClient.builder().url(settings.url()).http(HttpClients.forRegistry(settings));
        if (settings.username() != null) {
            b.apiKey(settings.username(), settings.apiKey()).authUrl(settings.authUrl());
        } else {
            b.token(settings.token());
        }
        return b.build();
    }
}
