package io.autoreg.agent.lite;

import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.core.internal.settings.HeartbeatSettings;
import io.autoreg.core.internal.settings.RegistrySettings;
import io.autoreg.core.internal.settings.SettingsSchema;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The Eureka backend on {@link LiteHttp}, for the agent's fast path: the core's {@code EurekaRegistry} sends the same
 * requests through OkHttp and Jackson, ~800 classes a cold host JVM loads and verifies for four kinds of request. Same
 * wire behaviour as the core's: {@code POST /apps/{APP}} with the instance document (the app is the upper-cased service
 * name; the lease duration is the heartbeat timeout), {@code PUT /apps/{APP}/{id}} to renew (404: register again),
 * {@code PUT …/status?value=OUT_OF_SERVICE} to drain, {@code DELETE} to cancel (404 is fine); a URL's user info is sent
 * as HTTP basic auth, as Eureka's own clients send it. Only TLS stays with the core's client.
 */
public final class LiteEurekaBackend extends LiteBackend {

    static final String TYPE = "eureka";

    /** Whether this client speaks to Eureka as the core's would: plain HTTP (user info as basic auth), no TLS files. */
    public static boolean serves(RegistrySettings settings) {
        return TYPE.equals(settings.type()) && LiteHttp.canSpeakTo(settings, true);
    }

    public LiteEurekaBackend(RegistrySettings settings) {
        super(TYPE, LiteServers.forRegistry(TYPE, settings, null));
    }

    @Override
    public Lease register(ServiceInstance instance, Duration ttl) throws IOException {
        LiteHttp.Answer answer = http.call("POST", appPath(instance), instanceJson(instance, ttl), null);
        LiteHttp.expect(
                TYPE,
                "register " + instance.id() + (answer.status() == 404 ? SettingsSchema.EUREKA_NOT_A_SERVICE_URL : ""),
                answer);
        return new InstanceLease(instance);
    }

    @Override
    public boolean renew(Lease lease) throws IOException {
        LiteHttp.Answer answer = http.call("PUT", instancePath(lease.instance()), null, null);
        if (answer.status() == 404) {
            return false;
        }
        LiteHttp.expect(TYPE, "renew " + lease.instance().id(), answer);
        return true;
    }

    @Override
    public boolean supportsDrain() {
        return true;
    }

    @Override
    public void markOutOfService(Lease lease) throws IOException {
        LiteHttp.expect(
                TYPE,
                "status OUT_OF_SERVICE " + lease.instance().id(),
                http.call("PUT", instancePath(lease.instance()) + "/status?value=OUT_OF_SERVICE", null, null));
    }

    @Override
    public void deregister(Lease lease) throws IOException {
        LiteHttp.Answer answer = http.call("DELETE", instancePath(lease.instance()), null, null);
        if (answer.status() != 404) {
            LiteHttp.expect(TYPE, "cancel " + lease.instance().id(), answer);
        }
    }

    /** The body of {@code POST /apps/{APP}}, field for field the core's {@code EurekaRegistry.instanceJson}. */
    static String instanceJson(ServiceInstance instance, Duration ttl) {
        String base = "http://" + hostForUrl(instance.address()) + ":" + instance.port() + "/";
        Map<String, String> metadata = new LinkedHashMap<>(instance.metadata());
        if (!instance.tags().isEmpty()) {
            // Eureka has no tags; consumers that want them read this metadata entry
            metadata.put("tags", String.join(",", instance.tags()));
        }
        return "{\"instance\":{\"instanceId\":" + LiteJson.string(instance.id())
                + ",\"hostName\":" + LiteJson.string(instance.address())
                + ",\"app\":" + LiteJson.string(appName(instance))
                + ",\"ipAddr\":" + LiteJson.string(instance.address())
                + ",\"vipAddress\":" + LiteJson.string(instance.name())
                + ",\"secureVipAddress\":" + LiteJson.string(instance.name())
                + ",\"status\":\"UP\""
                + ",\"homePageUrl\":" + LiteJson.string(base)
                + ",\"statusPageUrl\":" + LiteJson.string(base)
                + ",\"healthCheckUrl\":" + LiteJson.string(base)
                + ",\"port\":{\"$\":" + instance.port() + ",\"@enabled\":\"true\"}"
                + ",\"securePort\":{\"$\":443,\"@enabled\":\"false\"}"
                + ",\"dataCenterInfo\":{\"@class\":\"com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo\","
                + "\"name\":\"MyOwn\"}"
                + ",\"leaseInfo\":{\"renewalIntervalInSecs\":"
                + wholeSeconds(new HeartbeatSettings(ttl, null).effectiveInterval())
                + ",\"durationInSecs\":" + wholeSeconds(ttl) + "}"
                + ",\"metadata\":" + LiteJson.object(metadata) + "}}";
    }

    /** Eureka's application name for a service, as its own clients name it. */
    static String appName(ServiceInstance instance) {
        return instance.name().toUpperCase(Locale.ROOT);
    }

    private static String appPath(ServiceInstance instance) {
        return "/apps/" + LiteHttp.pathSegment(appName(instance));
    }

    private static String instancePath(ServiceInstance instance) {
        return appPath(instance) + "/" + LiteHttp.pathSegment(instance.id());
    }

    private static String hostForUrl(String address) {
        return address.indexOf(':') >= 0 ? "[" + address + "]" : address;
    }

    private static long wholeSeconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }
}
