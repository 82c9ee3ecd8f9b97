package io.autoreg.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child process with stdout and stderr captured to files (never a pipe that could fill up and block
 * it); {@link #close()} kills it and its descendants.
 */
public final class Child implements AutoCloseable {
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private Child(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public static Child start(List<String> command, Map<String, String> env, Path logDir, String name) {
        try {
            Files.createDirectories(logDir);
            Path out = logDir.resolve(name + ".out");
            Path err = logDir.resolve(name + ".err");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().keySet().removeIf(key -> key.startsWith("AUTOREG_"));
            builder.environment().putAll(env);
            return new Child(builder.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code java <jvmArgs> -jar jar args} with the JVM running these tests, with SIGHUP at its default
     * disposition: a build started under {@code nohup} (or by a CI runner that ignores SIGHUP) passes the
     * ignored signal on to every descendant, and a shell cannot trap a signal that was ignored when it
     * started, so the forwarding tests would test the caller's terminal setup instead of the sidecar.
     * {@code env} execs java, so the pid is the JVM's.
     */
    public static Child java(String jar, List<String> args, Map<String, String> env, Path logDir, String name) {
        return java(Path.of(System.getProperty("java.home")), jar, args, env, logDir, name);
    }

    /** The same with the JVM of {@code javaHome}. */
    public static Child java(
            Path javaHome, String jar, List<String> args, Map<String, String> env, Path logDir, String name) {
        List<String> command = new ArrayList<>();
        command.add("env");
        command.add("--default-signal=HUP");
        command.add(javaHome.resolve("bin").resolve("java").toString());
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-jar");
        command.add(jar);
        command.addAll(args);
        return start(command, env, logDir, name);
    }

    /** {@code java -cp cp mainClass args}. */
    public static Child javaMain(String classpath, String mainClass, List<String> args, Path logDir, String name) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                classpath,
                mainClass));
        command.addAll(args);
        return start(command, Map.of(), logDir, name);
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    public String stdout() {
        return read(stdout);
    }

    public String stderr() {
        return read(stderr);
    }

    public byte[] stdoutBytes() {
        try {
            return Files.readAllBytes(stdout);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public byte[] stderrBytes() {
        try {
            return Files.readAllBytes(stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for a stdout line matching {@code regex} and answers its first group. */
    public String awaitStdout(String regex, Duration timeout) {
        Pattern pattern = Pattern.compile(regex);
        String[] found = new String[1];
        Await.until(timeout, "output matching " + regex + " from " + this, () -> {
            if (!process.isAlive() && !pattern.matcher(stdout()).find()) {
                throw new AssertionError("child exited (" + process.exitValue() + ") before printing " + regex
                        + "\nstdout:\n" + stdout() + "\nstderr:\n" + stderr());
            }
            Matcher matcher = pattern.matcher(stdout());
            if (matcher.find()) {
                found[0] = matcher.groupCount() > 0 ? matcher.group(1) : matcher.group();
                return true;
            }
            return false;
        });
        return found[0];
    }

    /** The exit code, failing if the process is still running after {@code timeout}. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(
                        this + " still running after " + timeout.toMillis() + " ms\nstderr:\n" + stderr());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** SIGTERM. */
    public void terminate() {
        process.destroy();
    }

    /** SIGKILL, as a crash would. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "child " + process.pid() + " " + process.info().command().orElse("?");
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
