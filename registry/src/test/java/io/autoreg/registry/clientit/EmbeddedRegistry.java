package io.autoreg.registry.clientit;

import io.autoreg.core.client.ServiceRegistryClient;
import io.autoreg.registry.RegistryServer;
import io.autoreg.registry.support.TestDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real registry server shared by a test class ({@code @RegisterExtension static final}), on a free
 * loopback port and a temporary data dir, with an optional shared client for one tenant; all of it is
 * closed and deleted after the class.
 */
final class EmbeddedRegistry implements BeforeAllCallback, AfterAllCallback {
    private final String sharedTenant;
    private Path data;
    private RegistryServer server;
    private ServiceRegistryClient sharedClient;

    /** A server only; tests make their own clients with {@link #client(String)}. */
    EmbeddedRegistry() {
        this(null);
    }

    /** A server and a client for {@code sharedTenant}, available as {@link #client()}. */
    EmbeddedRegistry(String sharedTenant) {
        this.sharedTenant = sharedTenant;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        data = Files.createTempDirectory("autoreg-clientit");
        server = ClientItSupport.openServer(data);
        if (sharedTenant != null) {
            sharedClient = ClientItSupport.client(server, sharedTenant);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (sharedClient != null) {
                sharedClient.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
            TestDirs.deleteTree(data);
        }
    }

    RegistryServer server() {
        return server;
    }

    /** The class's shared client (closed after the class). */
    ServiceRegistryClient client() {
        if (sharedClient == null) {
            throw new IllegalStateException("no shared tenant: use new EmbeddedRegistry(\"tenant\")");
        }
        return sharedClient;
    }

    /** A new client for {@code tenant}; the caller closes it. */
    ServiceRegistryClient client(String tenant) {
        return ClientItSupport.client(server, tenant);
    }
}
