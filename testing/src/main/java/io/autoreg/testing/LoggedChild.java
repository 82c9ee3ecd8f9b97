package io.autoreg.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A child JVM of these tests writing to its own temp log file (removed on close): its output, a SIGTERM
 * waiting for the exit (which is when the agent's or the sidecar's shutdown hook deregisters), kill -9.
 */
public abstract class LoggedChild implements AutoCloseable {

    private final ChildProcess process;
    private final Path log;

    protected LoggedChild(String name, List<String> command, Path log) throws IOException {
        this.log = log;
        this.process = ChildProcess.start(name, command, log);
    }

    public final ChildProcess process() {
        return process;
    }

    public final String output() {
        return process.logTail();
    }

    /** SIGTERM, waiting (at most 15 s) for the exit. */
    public final void terminate() throws InterruptedException {
        process.stop(Duration.ofSeconds(15));
    }

    public final void kill() throws InterruptedException {
        process.kill();
    }

    @Override
    public final void close() throws IOException {
        process.close();
        Files.deleteIfExists(log);
    }
}
