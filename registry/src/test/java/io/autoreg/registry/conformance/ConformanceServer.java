package io.autoreg.registry.conformance;

import io.autoreg.registry.RegistryServer;
import io.autoreg.registry.ServerClock;
import io.autoreg.registry.support.TestDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** The real registry server, embedded on a free loopback port with a throw-away data directory. */
public final class ConformanceServer implements AutoCloseable {
    private RegistryServer server;
    private final Path dataDir;
    private final UnaryOperator<RegistryServer.Builder> configure;

    private ConformanceServer(RegistryServer server, Path dataDir, UnaryOperator<RegistryServer.Builder> configure) {
        this.server = server;
        this.dataDir = dataDir;
        this.configure = configure;
    }

    /** An open server (no users, no tokens): any token, any tenant. */
    public static ConformanceServer startOpen() {
        return start(UnaryOperator.identity());
    }

    /** A server configured with HOCON under {@code autoreg.server} (users, tokens, quotas). */
    public static ConformanceServer startWith(String hocon) {
        return start(builder -> builder.config(hocon));
    }

    /** A server whose time is {@code clock} (tests move it), configured with {@code hocon} (may be empty). */
    public static ConformanceServer startWith(ServerClock clock, String hocon) {
        return start(builder -> builder.config(hocon).clock(clock));
    }

    private static ConformanceServer start(UnaryOperator<RegistryServer.Builder> configure) {
        Path dir;
        try {
            dir = Files.createTempDirectory("autoreg-conformance-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ConformanceServer(launch(configure, dir), dir, configure);
    }

    private static RegistryServer launch(UnaryOperator<RegistryServer.Builder> configure, Path dir) {
        RegistryServer server = configure
                .apply(RegistryServer.builder().port(0).bind("127.0.0.1").dataDir(dir))
                .build();
        server.start();
        return server;
    }

    /** Stops the server and starts a new one on the same data directory (a new port: take a new {@link #http()}). */
    public void restart() {
        server.close();
        server = launch(configure, dataDir);
    }

    /** Asks the store for a snapshot and a new journal; it happens on the journal's thread soon after. */
    public void compact() {
        server.compact();
    }

    /** The store's directory, to check what is (and is not) kept on disk. */
    public Path journalDir() {
        return dataDir.resolve("journal");
    }

    public URI root() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    public RegistryHttp http() {
        return new RegistryHttp(root());
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            deleteTree(dataDir);
        }
    }

    static void deleteTree(Path dir) {
        try {
            TestDirs.deleteTree(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
