package io.autoreg.registry.support;

import io.autoreg.registry.RegistryServer;
import io.autoreg.testing.Http;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One registry server per test class, on a free loopback port with its own temporary data directory, closed
 * (and the directory removed) after the class: {@code @RegisterExtension static final LocalRegistry registry =
 * new LocalRegistry();}, then {@code registry.http()} and {@code registry.server()}.
 */
public final class LocalRegistry implements BeforeAllCallback, AfterAllCallback {
    private Path data;
    private RegistryServer server;
    private Http http;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        data = Files.createTempDirectory("autoreg-registry-test");
        server = RegistryServer.builder()
                .port(0)
                .bind("127.0.0.1")
                .dataDir(data)
                .build()
                .start();
        http = new Http(server.baseUrl());
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            TestDirs.deleteTree(data);
        }
    }

    public RegistryServer server() {
        return server;
    }

    /** A plain HTTP helper on the server's base URL (no token). */
    public Http http() {
        return http;
    }
}
