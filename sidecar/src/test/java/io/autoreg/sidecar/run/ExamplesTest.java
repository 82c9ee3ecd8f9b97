package io.autoreg.sidecar.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.core.internal.settings.AutoregSettings;
import io.autoreg.core.internal.settings.SettingsLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** Every example settings file under {@code examples/} loads and validates as the sidecar reads it. */
class ExamplesTest {
    private static final Path EXAMPLES = Path.of(System.getProperty("examples.dir", "../examples"));

    @TempDir
    Path tmp;

    static SidecarSettings load(Path file) {
        // no sysprops or env: the file alone must be valid
        AutoregSettings settings = SettingsLoader.load(
                Map.of(),
                new Properties(),
                Map.of(),
                file,
                SidecarSettings.DEFAULTS_RESOURCE,
                ExamplesTest.class.getClassLoader());
        SidecarSettings sidecar = SidecarSettings.from(settings);
        Neighbour.of(sidecar.checks(), settings.service(), "10.0.0.5");
        return sidecar;
    }

    @Test
    void everyExampleConfLoadsAndWatchesSomething() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(EXAMPLES)) {
            files = walk.filter(path -> path.toString().endsWith(".conf"))
                    .sorted()
                    .toList();
        }
        assertTrue(files.size() >= 4, "examples found in " + EXAMPLES.toAbsolutePath() + ": " + files);
        List<String> types = new ArrayList<>();
        for (Path file : files) {
            SidecarSettings sidecar = load(file);
            assertFalse(sidecar.checks().isEmpty(), file + " watches nothing");
            sidecar.checks().forEach(check -> types.add(check.type().name()));
        }
        assertTrue(types.containsAll(List.of("HTTP", "TCP", "EXEC")), "one example per check type: " + types);
    }

    @Test
    void theSeveralNeighboursExampleGivesEachItsOwnId() {
        SidecarSettings sidecar = load(EXAMPLES.resolve("several-neighbours.conf"));
        assertEquals(4, sidecar.checks().size());
        CheckSettings worker = sidecar.checks().get(3);
        assertEquals(List.of("sh", "-c", "test -f /tmp/worker.ready"), worker.command());
        assertEquals("worker-queue-1", worker.id());
        assertEquals(java.time.Duration.ofSeconds(5), worker.interval(), "inherited from check");
    }

    @Test
    @SuppressWarnings("unchecked")
    void thePodRunsTheSidecarAsANativeSidecarWithPodIpAndAValidConfigMap() throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml().loadAll(Files.readString(EXAMPLES.resolve("kubernetes/pod.yaml")))) {
            documents.add((Map<String, Object>) document);
        }
        Map<String, Object> configMap = documents.stream()
                .filter(d -> "ConfigMap".equals(d.get("kind")))
                .findFirst()
                .orElseThrow();
        Map<String, Object> pod = documents.stream()
                .filter(d -> "Pod".equals(d.get("kind")))
                .findFirst()
                .orElseThrow();

        Map<String, Object> spec = (Map<String, Object>) pod.get("spec");
        Map<String, Object> sidecar = ((List<Map<String, Object>>) spec.get("initContainers")).get(0);
        assertEquals(
                "Always",
                sidecar.get("restartPolicy"),
                "a native sidecar is an init container with restartPolicy Always");
        List<Map<String, Object>> env = (List<Map<String, Object>>) sidecar.get("env");
        Map<String, Object> podIp = env.stream()
                .filter(e -> "POD_IP".equals(e.get("name")))
                .findFirst()
                .orElseThrow();
        assertEquals(
                "status.podIP",
                ((Map<String, Map<String, Object>>) podIp.get("valueFrom"))
                        .get("fieldRef")
                        .get("fieldPath"));
        List<String> command = (List<String>) sidecar.get("command");
        assertTrue(command.containsAll(List.of("run", "--config", "/etc/autoreg/sidecar.conf")), command.toString());

        Path conf = Files.writeString(tmp.resolve("sidecar.conf"), (String)
                ((Map<String, Object>) configMap.get("data")).get("sidecar.conf"));
        SidecarSettings settings = load(conf);
        assertEquals(8079, settings.httpPort());
        Map<String, Object> app = ((List<Map<String, Object>>) spec.get("containers")).get(0);
        int appPort =
                (Integer) ((List<Map<String, Object>>) app.get("ports")).get(0).get("containerPort");
        assertEquals(appPort, settings.checks().get(0).port(), "the sidecar watches and registers the app's port");
    }
}
