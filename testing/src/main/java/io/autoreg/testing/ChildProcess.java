package io.autoreg.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** An engine or registrant started as a child process, output to a log file, always stopped. */
public final class ChildProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    public static ChildProcess start(String name, List<String> command, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return new ChildProcess(name, builder.start(), log);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String logTail() {
        try {
            List<String> lines = java.nio.file.Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    public Path log() {
        return log;
    }

    /** Waits (bounded) for a line of output matching the pattern and returns its match. */
    public java.util.regex.Matcher awaitLine(java.util.regex.Pattern pattern, Duration bound) {
        java.util.concurrent.atomic.AtomicReference<java.util.regex.Matcher> found =
                new java.util.concurrent.atomic.AtomicReference<>();
        try {
            Await.until(bound, "a line matching " + pattern + " from " + this, () -> {
                try {
                    for (String line : java.nio.file.Files.readAllLines(log)) {
                        java.util.regex.Matcher m = pattern.matcher(line);
                        if (m.find()) {
                            found.set(m);
                            return true;
                        }
                    }
                } catch (IOException notYet) {
                    return false;
                }
                return !process.isAlive();
            });
        } catch (AssertionError notSeen) {
            throw new AssertionError(notSeen.getMessage() + "\n" + logTail(), notSeen);
        }
        if (found.get() == null) {
            throw new AssertionError(this + " exited before printing " + pattern + "\n" + logTail());
        }
        return found.get();
    }

    /** SIGKILL: no shutdown hook, no deregistration, sockets simply vanish. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, then SIGKILL if it does not exit within the bound. */
    public void stop(Duration bound) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                stop(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", log " + log + ")";
    }
}
