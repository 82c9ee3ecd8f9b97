package io.autoreg.registry.conformance;

import io.autoreg.registry.RegistryServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/** The real registry server, embedded on a free loopback port with a throw-away data directory. */
public final class ConformanceServer implements AutoCloseable {
    private final RegistryServer server;
    private final Path dataDir;

    private ConformanceServer(RegistryServer server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
    }

    /** An open server (no users, no tokens): any token, any tenant. */
    public static ConformanceServer startOpen() {
        return start(UnaryOperator.identity());
    }

    /** A server configured with HOCON under {@code autoreg.server} (users, tokens, quotas). */
    public static ConformanceServer startWith(String hocon) {
        return start(builder -> builder.config(hocon));
    }

    private static ConformanceServer start(UnaryOperator<RegistryServer.Builder> configure) {
        Path dir;
        try {
            dir = Files.createTempDirectory("autoreg-conformance-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RegistryServer server = configure.apply(RegistryServer.builder().port(0).bind("127.0.0.1").dataDir(dir))
                .build();
        server.start();
        return new ConformanceServer(server, dir);
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
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
