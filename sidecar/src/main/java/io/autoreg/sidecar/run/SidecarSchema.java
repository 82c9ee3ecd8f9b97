package io.autoreg.sidecar.run;

import io.autoreg.core.internal.settings.Setting;
import java.time.Duration;
import java.util.List;

/**
 * {@code autoreg.sidecar.*}, declared once as the core declares the common settings
 * ({@code SettingsSchema}): the readers ({@link SidecarSettings}, {@link CheckSettings}) take their ranges
 * from here, {@code SidecarSchemaTest} holds the defaults file to the same keys and defaults, and
 * {@code docs/settings.md} is generated from it.
 */
public final class SidecarSchema {

    public static final Setting HTTP_PORT = Setting.integer("sidecar.http-port", -1, -1, 65535)
            .described("The sidecar's own /healthz and /metrics: -1 off, 0 any free port (printed at start).");
    public static final Setting HTTP_ADDRESS = Setting.string("sidecar.http-address", "0.0.0.0")
            .described("Address of the sidecar's own endpoint; the wildcard, because the kubelet probes the pod IP.");
    public static final Setting DRAIN = Setting.duration("sidecar.drain", "0s", Duration.ZERO, Duration.ofMinutes(10))
            .described("Out of service this long before deregistering, where the backend supports drain.");
    public static final Setting DEREGISTER_TIMEOUT = Setting.duration(
                    "sidecar.deregister-timeout", "5s", Duration.ofMillis(100), Duration.ofMinutes(1))
            .described("Bound on one deregistration, after a failed check and at shutdown.");
    public static final Setting CHECK_TYPE = Setting.oneOf(
                    "sidecar.check.type", "http", "http", "https", "tcp", "exec", "grpc", "grpcs")
            .described("http: GET host:port/path, 2xx passes unless its JSON status says unhealthy; https: the same"
                    + " over TLS, the certificate not verified (as the kubelet's probes); tcp: connect; exec: the"
                    + " command exits 0; grpc: gRPC's health service (grpc.health.v1.Health/Check) passes SERVING,"
                    + " as the kubelet's grpc probe; grpcs: the same over TLS, the certificate not verified.");
    public static final Setting CHECK_PORT = Setting.integer("sidecar.check.port", null, 1, 65535)
            .described("The neighbour's port, what gets registered; the single check is watched when it is set.");
    public static final Setting CHECK_HOST = Setting.string("sidecar.check.host", "127.0.0.1")
            .described("Where the probe connects; the registration advertises autoreg.service.address instead.");
    public static final Setting CHECK_PATH =
            Setting.string("sidecar.check.path", "/health").described("Path of the http probe.");
    public static final Setting CHECK_GRPC_SERVICE = Setting.string("sidecar.check.grpc-service", null)
            .described("grpc: the service asked about (HealthCheckRequest.service), such as orders.v1.Orders; not set,"
                    + " the server as a whole.");
    public static final Setting CHECK_COMMAND = Setting.string("sidecar.check.command", null)
            .described("exec: a list (run as is) or a string (run with sh -c).");
    public static final Setting CHECK_INTERVAL = Setting.duration(
                    "sidecar.check.interval", "10s", Duration.ofMillis(100), Duration.ofHours(1))
            .described("Time between two probes.");
    public static final Setting CHECK_TIMEOUT = Setting.duration(
                    "sidecar.check.timeout", "2s", Duration.ofMillis(50), Duration.ofMinutes(5))
            .described("Bound on one probe.");
    public static final Setting CHECK_RISE = Setting.integer("sidecar.check.rise", 1, 1, 100)
            .described("Consecutive passes before the neighbour is registered.");
    public static final Setting CHECK_FALL = Setting.integer("sidecar.check.fall", 3, 1, 100)
            .described("Consecutive failures before the neighbour is deregistered.");
    public static final Setting CHECK_NAME = Setting.string("sidecar.check.name", null)
            .described("Service name of the neighbour; autoreg.service.name, else neighbour, when not set.");
    public static final Setting CHECK_ID = Setting.string("sidecar.check.id", null)
            .described("Instance id; <name>-<advertised address>-<port> when not set; unique among the checks.");
    public static final Setting CHECK_TAGS =
            Setting.list("sidecar.check.tags").described("Tags added to autoreg.service.tags for this neighbour.");
    public static final Setting CHECK_METADATA = Setting.map("sidecar.check.metadata")
            .described("Metadata added to autoreg.service.metadata for this neighbour.");
    public static final Setting CHECKS = Setting.objects("sidecar.checks")
            .described("Several neighbours, each an object with the keys of check (whose values are the defaults).");

    /** {@code autoreg.sidecar.*}, in the order of {@link SidecarSettings#DEFAULTS_RESOURCE}. */
    public static final List<Setting> SCHEMA = List.of(
            HTTP_PORT,
            HTTP_ADDRESS,
            DRAIN,
            DEREGISTER_TIMEOUT,
            CHECK_TYPE,
            CHECK_PORT,
            CHECK_HOST,
            CHECK_PATH,
            CHECK_GRPC_SERVICE,
            CHECK_COMMAND,
            CHECK_INTERVAL,
            CHECK_TIMEOUT,
            CHECK_RISE,
            CHECK_FALL,
            CHECK_NAME,
            CHECK_ID,
            CHECK_TAGS,
            CHECK_METADATA,
            CHECKS);

    private SidecarSchema() {}
}
