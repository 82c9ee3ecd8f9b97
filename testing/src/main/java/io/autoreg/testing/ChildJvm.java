package io.autoreg.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child JVM (the sample app or a fixture app, usually under {@code -javaagent}) whose output is
 * collected line by line. {@link #close()} kills it if it is still running.
 */
public final class ChildJvm implements AutoCloseable {

    private static final Pattern PORT_LINE = Pattern.compile("listening on port (\\d+)");

    private final Process process;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final List<Thread> pumps = new ArrayList<>();

    private ChildJvm(Process process) {
        this.process = process;
        pumps.add(pump(process.getInputStream(), stdout, "stdout"));
        pumps.add(pump(process.getErrorStream(), stderr, "stderr"));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The JVM's thread dump, from {@code jcmd <pid> Thread.print} of the JDK running the tests. */
    public String threadDump() {
        try {
            Process jcmd = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "jcmd")
                                    .toString(),
                            String.valueOf(pid()),
                            "Thread.print")
                    .redirectErrorStream(true)
                    .start();
            String dump = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!jcmd.waitFor(30, TimeUnit.SECONDS)) {
                jcmd.destroyForcibly();
                throw new AssertionError("jcmd did not finish within 30 s");
            }
            return dump;
        } catch (IOException e) {
            throw new AssertionError("jcmd failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for jcmd", e);
        }
    }

    /** The names of the JVM's Java threads, from {@link #threadDump()}. */
    public List<String> threadNames() {
        List<String> names = new ArrayList<>();
        for (String line : threadDump().split("\n")) {
            if (line.startsWith("\"")) {
                names.add(line.substring(1, line.indexOf('"', 1)));
            }
        }
        return names;
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    /** The port the app prints once it listens ({@code … listening on port N}). */
    public int awaitPort(Duration timeout) {
        Matcher m = awaitLine(PORT_LINE, timeout);
        return Integer.parseInt(m.group(1));
    }

    public Matcher awaitLine(Pattern pattern, Duration timeout) {
        Await.holdsWithin(timeout, () -> find(pattern) != null || !process.isAlive());
        if (!process.isAlive()) {
            awaitOutputDrained();
        }
        Matcher m = find(pattern);
        if (m == null) {
            throw new AssertionError("no line matching " + pattern + " within " + timeout + "\n" + output());
        }
        return m;
    }

    private Matcher find(Pattern pattern) {
        for (String line : stdout) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return m;
            }
        }
        return null;
    }

    /** After exit: waits for the readers to reach the end of the child's output. */
    public void awaitOutputDrained() {
        for (Thread pump : pumps) {
            try {
                pump.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** SIGTERM (a graceful stop: shutdown hooks run). */
    public void terminate() {
        process.destroy();
    }

    /** SIGKILL: no shutdown hooks, the registry's expiry must clean up. */
    public void kill() {
        process.destroyForcibly();
    }

    public boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public List<String> stdoutLines() {
        return List.copyOf(stdout);
    }

    public List<String> stderrLines() {
        return List.copyOf(stderr);
    }

    public String output() {
        return "--- stdout\n" + String.join("\n", stdout) + "\n--- stderr\n" + String.join("\n", stderr);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            awaitExit(Duration.ofSeconds(10));
        }
    }

    private static Thread pump(InputStream in, List<String> sink, String name) {
        Thread t = new Thread(
                () -> {
                    try (BufferedReader reader =
                            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = reader.readLine()) != null) {
                            sink.add(line);
                        }
                    } catch (IOException ignored) {
                        // the process is gone
                    }
                },
                "child-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    public static final class Builder {
        private Path javaHome = Path.of(System.getProperty("java.home"));
        private String agentJar;
        private String agentArguments;
        private final List<String> jvmOptions = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private final List<String> command = new ArrayList<>();

        public Builder javaHome(Path home) {
            this.javaHome = home;
            return this;
        }

        public Builder agent(String jar, String arguments) {
            this.agentJar = jar;
            this.agentArguments = arguments;
            return this;
        }

        public Builder jvmOption(String option) {
            jvmOptions.add(option);
            return this;
        }

        public Builder systemProperty(String key, String value) {
            return jvmOption("-D" + key + "=" + value);
        }

        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        /** {@code -jar JAR args…} */
        public Builder jar(String jar, String... args) {
            command.clear();
            command.add("-jar");
            command.add(jar);
            command.addAll(List.of(args));
            return this;
        }

        /** {@code -cp CLASSPATH MAIN args…} */
        public Builder mainClass(String classpath, String main, String... args) {
            command.clear();
            command.add("-cp");
            command.add(classpath);
            command.add(main);
            command.addAll(List.of(args));
            return this;
        }

        public ChildJvm start() {
            List<String> cmd = new ArrayList<>();
            cmd.add(javaHome.resolve("bin/java").toString());
            cmd.add("-Xshare:auto");
            if (agentJar != null) {
                cmd.add("-javaagent:" + agentJar
                        + (agentArguments == null || agentArguments.isEmpty() ? "" : "=" + agentArguments));
            }
            cmd.addAll(jvmOptions);
            cmd.addAll(command);
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().keySet().removeIf(k -> k.startsWith("AUTOREG_") || k.equals("JAVA_TOOL_OPTIONS"));
            pb.environment().putAll(env);
            try {
                return new ChildJvm(pb.start());
            } catch (IOException e) {
                throw new AssertionError("cannot start " + cmd, e);
            }
        }
    }
}
