package io.autoreg.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.deploy.Manifests.Document;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every manifest in {@code examples/kubernetes} is valid for the Kubernetes API (the schema of its kind) and
 * every pod in them passes the {@code restricted} Pod Security Standard; and the checks themselves catch what
 * they are there to catch.
 */
class KubernetesManifestsTest {

    private static final Path SAMPLE = Path.of("sample.yaml");

    @Test
    void everyDocumentMatchesTheKubernetesSchemaOfItsKind() {
        List<Document> documents = Manifests.all();
        Set<String> files =
                documents.stream().map(d -> d.file().getFileName().toString()).collect(Collectors.toSet());
        assertTrue(
                files.containsAll(
                        Set.of("pod.yaml", "sidecar-deployment.yaml", "agent-injection.yaml", "registry.yaml")),
                files.toString());
        List<String> problems = new ArrayList<>();
        for (Document document : documents) {
            String problem = KubernetesSchema.problem(document.content());
            if (problem != null) {
                problems.add(document + ": " + problem);
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyPodPassesTheRestrictedPodSecurityStandard() {
        int pods = 0;
        List<String> problems = new ArrayList<>();
        for (Document document : Manifests.all()) {
            Map<String, Object> pod = RestrictedProfile.podSpec(document.content());
            if (pod != null) {
                pods++;
                RestrictedProfile.violations(pod).forEach(v -> problems.add(document + ": " + v));
            }
        }
        assertEquals(4, pods, "pod.yaml, sidecar-deployment.yaml, agent-injection.yaml, registry.yaml (StatefulSet)");
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void theSchemaCheckRejectsAMisspeltFieldAWrongTypeAndAMissingRequiredField() {
        String misspelt = KubernetesSchema.problem(only("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: { name: x }
                spec:
                  selector: { matchLabels: { app: x } }
                  template:
                    metadata: { labels: { app: x } }
                    spec:
                      containers:
                        - name: x
                          image: x
                          restartPolicyy: Always
                """));
        assertNotNull(misspelt);
        assertTrue(misspelt.contains("restartPolicyy"), misspelt);

        String wrongType = KubernetesSchema.problem(only("""
                apiVersion: v1
                kind: Pod
                metadata: { name: x }
                spec:
                  containers:
                    - name: x
                      image: x
                      command: java -jar app.jar
                """));
        assertNotNull(wrongType, "command must be a list");

        String missing = KubernetesSchema.problem(only("""
                apiVersion: v1
                kind: Pod
                metadata: { name: x }
                spec:
                  containers:
                    - image: x
                """));
        assertNotNull(missing);
        assertTrue(missing.contains("name"), missing);

        assertNotNull(KubernetesSchema.problem(only("""
                apiVersion: apps/v1beta1
                kind: Deployment
                metadata: { name: x }
                """)), "an apiVersion the cluster no longer serves");
        assertNull(
                KubernetesSchema.problem(only("""
                apiVersion: v1
                kind: Pod
                metadata: { name: x }
                spec:
                  initContainers:
                    - { name: s, image: s, restartPolicy: Always }
                  containers:
                    - { name: x, image: x, ports: [ { containerPort: 80 } ], lifecycle: { preStop: { sleep: { seconds: 5 } } } }
                """)), "native sidecars and the preStop sleep action are in the schema");
    }

    @Test
    void theRestrictedChecksCatchEachRule() {
        Map<String, Object> pod = RestrictedProfile.podSpec(only("""
                apiVersion: v1
                kind: Pod
                metadata: { name: x }
                spec:
                  hostNetwork: true
                  volumes:
                    - { name: host, hostPath: { path: /var/run } }
                  containers:
                    - name: app
                      image: x
                      ports: [ { containerPort: 80, hostPort: 80 } ]
                      securityContext:
                        privileged: true
                        runAsUser: 0
                        capabilities: { add: [SYS_ADMIN] }
                        seccompProfile: { type: Unconfined }
                """));
        String all = String.join("\n", RestrictedProfile.violations(pod));
        for (String rule : List.of(
                "host namespaces",
                "volume types",
                "hostPath",
                "host ports",
                "privileged",
                "non-root user",
                "capabilities: containers[app] must drop ALL",
                "may add only NET_BIND_SERVICE",
                "baseline/seccomp",
                "privilege escalation",
                "running as non-root:",
                "read-only root",
                "resources",
                "probes")) {
            assertTrue(all.contains(rule), "the rule '" + rule + "' is checked:\n" + all);
        }
    }

    @Test
    void theSidecarDeploymentRunsTheSidecarAsANativeSidecarAndDeregistersBeforeTheAppStops() {
        Map<String, Object> pod = podOf("sidecar-deployment.yaml", "Deployment");
        Map<String, Object> sidecar = first(pod, "initContainers");
        assertEquals("Always", sidecar.get("restartPolicy"));
        Map<String, Object> app = first(pod, "containers");
        String preStop = String.valueOf(app.get("lifecycle"));
        assertTrue(preStop.contains("/run/autoreg/stopping"), preStop);
        String config = (String)
                ((Map<?, ?>) document("sidecar-deployment.yaml", "ConfigMap").get("data")).get("sidecar.conf");
        assertTrue(config.contains("test ! -e /run/autoreg/stopping"), "the sidecar's check fails once preStop began");
    }

    @Test
    void theAgentIsInjectedIntoAnUnchangedImageFromTheAgentImage() {
        Map<String, Object> pod = podOf("agent-injection.yaml", "Deployment");
        Map<String, Object> init = first(pod, "initContainers");
        assertTrue(String.valueOf(init.get("image")).contains("autoreg-agent:"), init.toString());
        assertEquals(List.of("/autoreg/autoreg-agent.jar"), init.get("args"));
        Map<String, Object> app = first(pod, "containers");
        Map<String, String> env = env(app);
        assertEquals("-javaagent:/autoreg/autoreg-agent.jar", env.get("JAVA_TOOL_OPTIONS"));
        assertEquals("/etc/autoreg/autoreg.conf", env.get("AUTOREG_CONFIG"));
        // every AUTOREG_* the manifest sets is a key the agent reads (src-shared's autoreg-defaults.conf)
        for (String name : env.keySet()) {
            if (name.startsWith("AUTOREG_")) {
                assertTrue(AutoregKeys.environmentVariables().contains(name), name + " is not read by autoreg");
            }
        }
        assertTrue(env.containsKey("POD_IP"), "POD_IP is the advertised address");
    }

    @Test
    void theRegistryRunsAsAStatefulSetBoundToAllAddressesWithTokens() {
        Map<String, Object> pod = podOf("registry.yaml", "StatefulSet");
        Map<String, Object> registry = first(pod, "containers");
        @SuppressWarnings("unchecked")
        List<String> args = (List<String>) registry.get("args");
        assertEquals("0.0.0.0", args.get(args.indexOf("--bind") + 1));
        assertTrue(args.contains("--config"));
        Map<?, ?> secret = document("registry.yaml", "Secret");
        assertTrue(String.valueOf(secret.get("stringData")).contains("tokens"), "static tokens are configured");
    }

    private static Map<String, Object> only(String yaml) {
        List<Document> documents = Manifests.parse(SAMPLE, yaml);
        assertEquals(1, documents.size());
        return documents.get(0).content();
    }

    private static Map<String, Object> document(String file, String kind) {
        return Manifests.parse(Manifests.directory().resolve(file)).stream()
                .filter(d -> d.kind().equals(kind))
                .findFirst()
                .orElseThrow()
                .content();
    }

    private static Map<String, Object> podOf(String file, String kind) {
        return RestrictedProfile.podSpec(document(file, kind));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> first(Map<String, Object> pod, String group) {
        return ((List<Map<String, Object>>) pod.get(group)).get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> env(Map<String, Object> container) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (Map<String, Object> e : (List<Map<String, Object>>) container.get("env")) {
            env.put(
                    (String) e.get("name"),
                    e.get("value") == null ? "(from " + e.get("valueFrom") + ")" : (String) e.get("value"));
        }
        return env;
    }
}
