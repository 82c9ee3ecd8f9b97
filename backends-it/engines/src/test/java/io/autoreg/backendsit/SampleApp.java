package io.autoreg.backendsit;

import io.autoreg.testing.LoggedChild;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The sample app (sample-app/target/sample-app.jar) as a child JVM: under the agent
 * (agent/target/autoreg-agent.jar), registering with the given backend on port 0, advertising loopback,
 * with a 3 s heartbeat timeout (or another); or plain on a given port, as a neighbour for the sidecar.
 */
final class SampleApp extends LoggedChild {

    private static final Pattern PORT_LINE = Pattern.compile("listening on port (\\d+)");

    private SampleApp(String name, List<String> command, Path log) throws IOException {
        super(name, command, log);
    }

    static SampleApp underAgent(String type, String url, String serviceName, String serviceId) throws IOException {
        return underAgent(type, url, serviceName, serviceId, Duration.ofSeconds(3));
    }

    /** With the given heartbeat timeout, or the agent's default (30 s) when null. */
    static SampleApp underAgent(
            String type, String url, String serviceName, String serviceId, Duration heartbeatTimeout)
            throws IOException {
        return underAgent(type, url, serviceName, serviceId, heartbeatTimeout, List.of());
    }

    /** With these JVM options too ({@code -Dautoreg.log.level=debug}, say). */
    static SampleApp underAgent(
            String type,
            String url,
            String serviceName,
            String serviceId,
            Duration heartbeatTimeout,
            List<String> jvmOptions)
            throws IOException {
        Path log = Files.createTempFile("autoreg-sample-" + type + "-", ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String agentArguments = "registry.type=" + type + ",registry.url=" + url + ",service.name=" + serviceName
                + ",service.id=" + serviceId + ",service.address=127.0.0.1";
        List<String> command =
                new ArrayList<>(List.of(java, "-javaagent:" + artifact("agent.jar") + "=" + agentArguments));
        if (heartbeatTimeout != null) {
            command.add("-Dautoreg.heartbeat.timeout=" + heartbeatTimeout.toMillis() + "ms");
        }
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", artifact("sample.app.jar").toString(), "--port", "0"));
        return new SampleApp("sample-app", command, log);
    }

    /** Without the agent, on the given port. */
    static SampleApp plain(int port) throws IOException {
        Path log = Files.createTempFile("autoreg-neighbour-", ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command =
                List.of(java, "-jar", artifact("sample.app.jar").toString(), "--port", String.valueOf(port));
        return new SampleApp("neighbour", command, log);
    }

    static Path artifact(String property) {
        String configured = System.getProperty(property);
        if (configured == null || !Files.isRegularFile(Path.of(configured))) {
            throw new AssertionError(property + " is missing (" + configured + "): build the agent, the sidecar and "
                    + "the sample app first (./mvnw -pl agent,sidecar,sample-app -am package -DskipTests)");
        }
        return Path.of(configured);
    }

    int awaitPort() {
        return Integer.parseInt(
                process().awaitLine(PORT_LINE, Duration.ofSeconds(20)).group(1));
    }
}
