package io.autoreg.core.internal.backend.eureka;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autoreg.core.internal.backend.http.JsonHttp;
import io.autoreg.core.internal.backend.http.JsonHttp.Answer;
import io.autoreg.core.internal.http.HttpClients;
import io.autoreg.core.internal.lifecycle.RegistryBackend;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.core.internal.settings.HeartbeatSettings;
import io.autoreg.core.internal.settings.RegistrySettings;
import io.autoreg.core.internal.settings.SettingsSchema;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Eureka's REST API ({@code autoreg.registry.url} is the service URL, e.g.
 * {@code http://127.0.0.1:8761/eureka}). The app is the upper-cased service name, as Eureka's own
 * clients name it. The lease duration sent with the instance is the heartbeat timeout; the server
 * evicts an instance that stopped renewing for that long on its next eviction run (every 60 s by
 * default, {@code eureka.server.eviction-interval-timer-in-ms}), unless self-preservation holds it.
 */
public final class EurekaRegistry implements RegistryBackend {

    public static final String TYPE = "eureka";

    private final JsonHttp http;

    /** Over the process's shared HTTP client, with the settings' timeouts and TLS files. */
    public EurekaRegistry(RegistrySettings settings) {
        this(settings, HttpClients.forRegistry(settings));
    }

    public EurekaRegistry(RegistrySettings settings, OkHttpClient http) {
        // A 4xx no retry gets past (a rejected instance document, a forbidden call) is a refusal: the default rule.
        this.http = JsonHttp.builder(TYPE, settings.urls(), http)
                .header("Accept", "application/json")
                .build();
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
        Answer answer = http.post(appUrl(instance).build(), instanceJson(instance, ttl));
        if (answer.code() == 404) {
            throw answer.failure("register " + instance.id() + SettingsSchema.EUREKA_NOT_A_SERVICE_URL);
        }
        answer.expect("register " + instance.id());
        return new EurekaLease(instance);
    }

    /** The body of {@code POST /eureka/apps/{APP}}. */
    static ObjectNode instanceJson(ServiceInstance instance, Duration ttl) {
        String app = appName(instance);
        String base = "http://" + hostForUrl(instance.address()) + ":" + instance.port();
        ObjectNode root = JsonHttp.object();
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
        Answer answer = http.put(instanceUrl(lease.instance()).build(), null);
        if (answer.code() == 404) {
            return false;
        }
        answer.expect("renew " + lease.instance().id());
        return true;
    }

    @Override
    public boolean supportsDrain() {
        return true;
    }

    @Override
    public void markOutOfService(Lease lease) throws IOException {
        HttpUrl url = instanceUrl(lease.instance())
                .addPathSegment("status")
                .addQueryParameter("value", "OUT_OF_SERVICE")
                .build();
        http.put(url, null).expect("status OUT_OF_SERVICE " + lease.instance().id());
    }

    @Override
    public void deregister(Lease lease) throws IOException {
        Answer answer = http.delete(instanceUrl(lease.instance()).build());
        if (answer.code() != 404) {
            answer.expect("cancel " + lease.instance().id());
        }
    }

    private HttpUrl.Builder appUrl(ServiceInstance instance) {
        return http.url().addPathSegment("apps").addPathSegment(appName(instance));
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

    record EurekaLease(ServiceInstance instance) implements Lease {}
}
