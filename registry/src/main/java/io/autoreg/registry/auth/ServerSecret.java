package io.autoreg.registry.auth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/** The HMAC key of heartbeat tokens, made once per data dir so tokens stay valid across restarts. */
public final class ServerSecret {
    private static final int LENGTH = 32;

    private ServerSecret() {}

    public static byte[] loadOrCreate(Path dataDir) throws IOException {
        Path file = dataDir.resolve("server.secret");
        if (Files.exists(file)) {
            byte[] secret = Files.readAllBytes(file);
            if (secret.length == LENGTH) {
                return secret;
            }
            throw new IOException(file + " is damaged (" + secret.length + " bytes, expected " + LENGTH + ")");
        }
        byte[] secret = new byte[LENGTH];
        // Drawn once per data dir; SecureRandom's default on Linux reads /dev/urandom and never blocks.
        new SecureRandom().nextBytes(secret);
        Path tmp = dataDir.resolve("server.secret.tmp");
        try (FileChannel out = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(ByteBuffer.wrap(secret));
            out.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        return secret;
    }
}
