package io.autoreg.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Pod Security Standards' {@code restricted} profile (which includes {@code baseline}), rule by rule as the
 * Kubernetes documentation states them, applied to the pod spec of a Pod or of a workload's template - plus the
 * project's own rules for what it ships: a read-only root file system everywhere, resources on every container,
 * probes on every long-running one.
 */
final class RestrictedProfile {

    private static final Set<String> ALLOWED_VOLUMES = Set.of(
            "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret");
    private static final Set<String> SAFE_SYSCTLS = Set.of(
            "kernel.shm_rmid_forced",
            "net.ipv4.ip_local_port_range",
            "net.ipv4.ip_unprivileged_port_start",
            "net.ipv4.tcp_syncookies",
            "net.ipv4.ping_group_range",
            "net.ipv4.ip_local_reserved_ports",
            "net.ipv4.tcp_keepalive_time",
            "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_keepalive_intvl",
            "net.ipv4.tcp_keepalive_probes");
    private static final Set<String> SELINUX_TYPES =
            Set.of("", "container_t", "container_init_t", "container_kvm_t", "container_engine_t");
    private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job");

    private RestrictedProfile() {}

    /** The pod spec of a Pod or a workload, or null for kinds that run nothing. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> podSpec(Map<String, Object> document) {
        Object kind = document.get("kind");
        if ("Pod".equals(kind)) {
            return (Map<String, Object>) document.get("spec");
        }
        if (WORKLOADS.contains(kind)) {
            Map<String, Object> template =
                    (Map<String, Object>) map(document.get("spec")).get("template");
            return (Map<String, Object>) map(template).get("spec");
        }
        return null;
    }

    /** Every violation of the restricted profile and of the project's rules; empty when the pod passes. */
    static List<String> violations(Map<String, Object> pod) {
        List<String> v = new ArrayList<>();
        Map<String, Object> podSecurity = map(pod.get("securityContext"));
        for (String field : List.of("hostNetwork", "hostPID", "hostIPC")) {
            if (Boolean.TRUE.equals(pod.get(field))) {
                v.add("baseline/host namespaces: spec." + field + " must be unset or false");
            }
        }
        if (Boolean.TRUE.equals(map(podSecurity.get("windowsOptions")).get("hostProcess"))) {
            v.add("baseline/HostProcess: spec.securityContext.windowsOptions.hostProcess must be false");
        }
        for (Object sysctl : list(podSecurity.get("sysctls"))) {
            Object name = map(sysctl).get("name");
            if (!SAFE_SYSCTLS.contains(name)) {
                v.add("baseline/sysctls: " + name + " is not a safe sysctl");
            }
        }
        for (Object volume : list(pod.get("volumes"))) {
            Map<String, Object> vol = map(volume);
            for (String type : vol.keySet()) {
                if (!type.equals("name") && !ALLOWED_VOLUMES.contains(type)) {
                    v.add("restricted/volume types: volume " + vol.get("name") + " is " + type
                            + (type.equals("hostPath") ? " (baseline forbids hostPath too)" : "") + ", allowed: "
                            + ALLOWED_VOLUMES);
                }
            }
        }
        checkSeccomp(podSecurity, "spec.securityContext", v);
        checkSelinux(podSecurity, "spec.securityContext", v);
        checkUser(podSecurity, "spec.securityContext", v);

        boolean podNonRoot = Boolean.TRUE.equals(podSecurity.get("runAsNonRoot"));
        boolean podSeccomp = seccompSet(podSecurity);
        for (String group : List.of("initContainers", "containers", "ephemeralContainers")) {
            for (Object c : list(pod.get(group))) {
                Map<String, Object> container = map(c);
                checkContainer(container, group + "[" + container.get("name") + "]", podNonRoot, podSeccomp, v);
            }
        }
        return v;
    }

    private static void checkContainer(
            Map<String, Object> container, String where, boolean podNonRoot, boolean podSeccomp, List<String> v) {
        Map<String, Object> sc = map(container.get("securityContext"));
        if (Boolean.TRUE.equals(sc.get("privileged"))) {
            v.add("baseline/privileged: " + where + " must not be privileged");
        }
        if (Boolean.TRUE.equals(map(sc.get("windowsOptions")).get("hostProcess"))) {
            v.add("baseline/HostProcess: " + where);
        }
        for (Object port : list(container.get("ports"))) {
            Object hostPort = map(port).get("hostPort");
            if (hostPort != null && !Integer.valueOf(0).equals(hostPort)) {
                v.add("baseline/host ports: " + where + " uses hostPort " + hostPort);
            }
        }
        Object procMount = sc.get("procMount");
        if (procMount != null && !"Default".equals(procMount)) {
            v.add("baseline/proc mount: " + where + " procMount must be Default");
        }
        Object appArmor = map(sc.get("appArmorProfile")).get("type");
        if ("Unconfined".equals(appArmor)) {
            v.add("baseline/AppArmor: " + where + " must not be Unconfined");
        }
        checkSelinux(sc, where, v);
        checkUser(sc, where, v);
        checkSeccomp(sc, where, v);
        if (!Boolean.FALSE.equals(sc.get("allowPrivilegeEscalation"))) {
            v.add("restricted/privilege escalation: " + where + " must set allowPrivilegeEscalation: false");
        }
        if (Boolean.FALSE.equals(sc.get("runAsNonRoot"))
                || !(podNonRoot || Boolean.TRUE.equals(sc.get("runAsNonRoot")))) {
            v.add("restricted/running as non-root: " + where + " needs runAsNonRoot: true (pod or container)");
        }
        if (!(podSeccomp || seccompSet(sc))) {
            v.add("restricted/seccomp: " + where
                    + " needs seccompProfile RuntimeDefault or Localhost (pod or container)");
        }
        Map<String, Object> capabilities = map(sc.get("capabilities"));
        if (!list(capabilities.get("drop")).contains("ALL")) {
            v.add("restricted/capabilities: " + where + " must drop ALL");
        }
        for (Object added : list(capabilities.get("add"))) {
            if (!"NET_BIND_SERVICE".equals(added)) {
                v.add("restricted/capabilities: " + where + " may add only NET_BIND_SERVICE, adds " + added);
            }
        }
        projectRules(container, where, sc, v);
    }

    /** What the project asks of its manifests beyond the standard. */
    private static void projectRules(
            Map<String, Object> container, String where, Map<String, Object> sc, List<String> v) {
        if (!Boolean.TRUE.equals(sc.get("readOnlyRootFilesystem"))) {
            v.add("project/read-only root: " + where + " must set readOnlyRootFilesystem: true");
        }
        Map<String, Object> resources = map(container.get("resources"));
        if (map(resources.get("requests")).isEmpty()
                || !map(resources.get("limits")).containsKey("memory")) {
            v.add("project/resources: " + where + " needs requests and a memory limit");
        }
        boolean longRunning = where.startsWith("containers") || "Always".equals(container.get("restartPolicy"));
        if (longRunning
                && container.get("livenessProbe") == null
                && container.get("readinessProbe") == null
                && container.get("startupProbe") == null) {
            v.add("project/probes: " + where + " runs for the pod's life and needs a probe");
        }
    }

    private static void checkSeccomp(Map<String, Object> sc, String where, List<String> v) {
        Object type = map(sc.get("seccompProfile")).get("type");
        if ("Unconfined".equals(type)) {
            v.add("baseline/seccomp: " + where + " must not be Unconfined");
        }
    }

    private static boolean seccompSet(Map<String, Object> sc) {
        Object type = map(sc.get("seccompProfile")).get("type");
        return "RuntimeDefault".equals(type) || "Localhost".equals(type);
    }

    private static void checkSelinux(Map<String, Object> sc, String where, List<String> v) {
        Map<String, Object> se = map(sc.get("seLinuxOptions"));
        if (se.containsKey("type") && !SELINUX_TYPES.contains(se.get("type"))) {
            v.add("baseline/SELinux: " + where + " type " + se.get("type") + " is not allowed");
        }
        if (se.containsKey("user") || se.containsKey("role")) {
            v.add("baseline/SELinux: " + where + " must not set the SELinux user or role");
        }
    }

    private static void checkUser(Map<String, Object> sc, String where, List<String> v) {
        if (Integer.valueOf(0).equals(sc.get("runAsUser"))) {
            v.add("restricted/running as non-root user: " + where + " must not set runAsUser: 0");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m
                ? new java.util.LinkedHashMap<>((Map<String, Object>) m)
                : new java.util.LinkedHashMap<>();
    }

    private static List<?> list(Object o) {
        return o instanceof List<?> l ? l : List.of();
    }
}
