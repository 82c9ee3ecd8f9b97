package io.autoreg.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * podman as the project's scripts run it ({@code scripts/podman.sh}: runc, cgroupfs, the containers.conf without
 * default ulimits). Every call is bounded; a failing call throws with podman's own output.
 */
final class Podman {

    private final Path root;

    Podman(Path root) {
        this.root = root;
    }

    /** Runs podman with these arguments and returns its standard output; throws on a non-zero exit. */
    String run(Duration timeout, String... args) {
        Result result = tryRun(timeout, args);
        if (result.exit() != 0) {
            throw new AssertionError(
                    "podman " + String.join(" ", args) + " exited " + result.exit() + ":\n" + result.output());
        }
        return result.stdout();
    }

    record Result(int exit, String stdout, String output) {}

    /** Runs podman and returns what happened, whatever the exit code. */
    Result tryRun(Duration timeout, String... args) {
        List<String> command = new ArrayList<>();
        command.add(root.resolve("scripts/podman.sh").toString());
        command.addAll(List.of(args));
        return exec(command, timeout);
    }

    static Result exec(List<String> command, Duration timeout) {
        try {
            Path out = Files.createTempFile("podman-out", ".txt");
            Path err = Files.createTempFile("podman-err", ".txt");
            try {
                Process process = new ProcessBuilder(command)
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout);
                }
                String stdout = Files.readString(out, StandardCharsets.UTF_8);
                return new Result(process.exitValue(), stdout, stdout + Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
