package io.autoreg.core.internal.backend.eureka;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autoreg.core.internal.lifecycle.RefusedException;
import io.autoreg.core.internal.lifecycle.RegistryBackend;
import io.autoreg.core.internal.http.HttpClients;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.core.internal.settings.HeartbeatSettings;
import io.autoreg.core.internal.settings.RegistrySettings;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;

/**
 * Eureka's REST API ({@code autoreg.registry.url} is the service URL, e.g.
 * {@code http://127.0.0.1:8761/eureka}). The app is the upper-cased service name, as Eureka's own
 * clients name it. The lease duration sent with the instance is the heartbeat timeout; the server
 * evicts an instance that stopped renewing for that long on its next eviction run (every 60 s by
 * default, {@code eureka.server.eviction-interval-timer-in-ms}), unless self-preservation holds it.
 */
public final class EurekaRegistry implements RegistryBackend {

    public static final String TYPE = "eureka";
    private static final MediaType JSON = MediaType.get("application/json");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpUrl serviceUrl;
    private final OkHttpClient http;

    /** Over the process's shared HTTP client, with the settings' timeouts and TLS files. */
    public EurekaRegistry(RegistrySettings settings) {
        this(settings, HttpClients.forRegistry(settings));
    }

    public EurekaRegistry(RegistrySettings settings, OkHttpClient http) {
        this.serviceUrl = HttpUrl.get(settings.url());
        this.http = http;
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** Eureka's application name for a service. */
    public static String appName(ServiceInstance instance) {
        return instance.name().toUpperCase(Locale.ROOT);
    }

    @Override
    public Lease register(ServiceInstance instance, Duration ttl) throws IOException {
        byte[] body = MAPPER.writeValueAsBytes(instanceJson(instance, ttl));
        Request request = new Request.Builder()
                .url(appUrl(instance).build())
                .header("Accept", "application/json")
                .post(RequestBody.create(body, JSON))
                .build();
        try (Response response = http.newCall(request).execute()) {
            if (!response.isSuccessful()) {
                throw failure("register " + instance.id(), response);
            }
        }
        return new EurekaLease(instance);
    }

    /** The body of {@code POST /eureka/apps/{APP}}. */
    static ObjectNode instanceJson(ServiceInstance instance, Duration ttl) {
        String app = appName(instance);
        String base = "http://" + hostForUrl(instance.address()) + ":" + instance.port();
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode node = root.putObject("instance")
                .put("instanceId", instance.id())
                .put("hostName", instance.address())
                .put("app", app)
                .put("ipAddr", instance.address())
                .put("vipAddress", instance.name())
                .put("secureVipAddress", instance.name())
                .put("status", "UP")
                .put("homePageUrl", base + "/")
                .put("statusPageUrl", base + "/")
                .put("healthCheckUrl", base + "/");
        node.putObject("port").put("$", instance.port()).put("@enabled", "true");
        node.putObject("securePort").put("$", 443).put("@enabled", "false");
        node.putObject("dataCenterInfo")
                .put("@class", "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo")
                .put("name", "MyOwn");
        node.putObject("leaseInfo")
                .put("renewalIntervalInSecs", wholeSeconds(new HeartbeatSettings(ttl, null).effectiveInterval()))
                .put("durationInSecs", wholeSeconds(ttl));
        ObjectNode metadata = node.putObject("metadata");
        instance.metadata().forEach(metadata::put);
        if (!instance.tags().isEmpty()) {
            // Eureka has no tags; consumers that want them read this metadata entry.
            metadata.put("tags", String.join(",", instance.tags()));
        }
        return root;
    }

    @Override
    public boolean renew(Lease lease) throws IOException {
        Request request = new Request.Builder()
                .url(instanceUrl(lease.instance()).build())
                .header("Accept", "application/json")
                .put(RequestBody.create(new byte[0], null))
                .build();
        try (Response response = http.newCall(request).execute()) {
            if (response.code() == 404) {
                return false;
            }
            if (!response.isSuccessful()) {
                throw failure("renew " + lease.instance().id(), response);
            }
            return true;
        }
    }

    @Override
    public boolean supportsDrain() {
        return true;
    }

    @Override
    public void markOutOfService(Lease lease) throws IOException {
        HttpUrl url = instanceUrl(lease.instance()).addPathSegment("status")
                .addQueryParameter("value", "OUT_OF_SERVICE").build();
        Request request = new Request.Builder().url(url).put(RequestBody.create(new byte[0], null)).build();
        try (Response response = http.newCall(request).execute()) {
            if (!response.isSuccessful()) {
                throw failure("status OUT_OF_SERVICE " + lease.instance().id(), response);
            }
        }
    }

    @Override
    public void deregister(Lease lease) throws IOException {
        Request request = new Request.Builder().url(instanceUrl(lease.instance()).build()).delete().build();
        try (Response response = http.newCall(request).execute()) {
            if (!response.isSuccessful() && response.code() != 404) {
                throw failure("cancel " + lease.instance().id(), response);
            }
        }
    }

    private HttpUrl.Builder appUrl(ServiceInstance instance) {
        return serviceUrl.newBuilder().addPathSegment("apps").addPathSegment(appName(instance));
    }

    private HttpUrl.Builder instanceUrl(ServiceInstance instance) {
        return appUrl(instance).addPathSegment(instance.id());
    }

    private static String hostForUrl(String address) {
        return address.indexOf(':') >= 0 ? "[" + address + "]" : address;
    }

    private static long wholeSeconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }

    /** A 4xx no retry gets past (a rejected instance document, a forbidden call) is a {@link RefusedException}. */
    private static IOException failure(String what, Response response) throws IOException {
        String text = response.body() == null ? "" : response.body().string();
        String message = "eureka " + what + " answered " + response.code() + ": " + text;
        return RefusedException.isRefusal(response.code(), null) ? new RefusedException(message) : new IOException(message);
    }

    record EurekaLease(ServiceInstance instance) implements Lease {
    }
}
