package io.autoreg.core.internal.backend.consul;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autoreg.core.internal.backend.http.JsonHttp;
import io.autoreg.core.internal.backend.http.JsonHttp.Answer;
import io.autoreg.core.internal.http.HttpClients;
import io.autoreg.core.internal.lifecycle.RegistryBackend;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.core.internal.settings.HeartbeatSettings;
import io.autoreg.core.internal.settings.RegistrySettings;
import java.io.IOException;
import java.time.Duration;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Consul through the local agent's HTTP API. The service is registered with an embedded TTL check
 * ({@code service:<id>}) that the lifecycle passes at a third of its TTL; if the process dies the check
 * turns critical and Consul deregisters the service after {@code DeregisterCriticalServiceAfter}.
 * Drain puts the service in maintenance mode, which takes it out of DNS and health queries.
 *
 * <p>Consul cannot be installed on the build machines, so this class is tested against a scripted
 * HTTP server that checks the documented requests and answers (see ConsulRegistryTest).
 */
public final class ConsulRegistry implements RegistryBackend {

    public static final String TYPE = "consul";
    /** Consul's reaper runs every 30 s and will not deregister a critical service sooner than a minute. */
    static final Duration MIN_DEREGISTER_AFTER = Duration.ofMinutes(1);

    private final JsonHttp http;

    /** Over the process's shared HTTP client, with the settings' timeouts and TLS files. */
    public ConsulRegistry(RegistrySettings settings) {
        this(settings, HttpClients.forRegistry(settings));
    }

    public ConsulRegistry(RegistrySettings settings, OkHttpClient http) {
        // A 4xx no retry gets past (a bad definition, an ACL that forbids it) is a refusal: the default rule.
        this.http = JsonHttp.builder(TYPE, settings.url(), http)
                .header("X-Consul-Token", settings.token())
                .build();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Lease register(ServiceInstance instance, Duration ttl) throws IOException {
        http.put(http.url("v1/agent/service/register"), registration(instance, ttl))
                .expect("register " + instance.id());
        return new ConsulLease(instance);
    }

    /** The body of {@code PUT /v1/agent/service/register}. */
    static ObjectNode registration(ServiceInstance instance, Duration ttl) {
        Duration checkTtl = new HeartbeatSettings(ttl, null).effectiveInterval().multipliedBy(3);
        Duration deregisterAfter = checkTtl.multipliedBy(2).compareTo(MIN_DEREGISTER_AFTER) < 0
                ? MIN_DEREGISTER_AFTER
                : checkTtl.multipliedBy(2);
        ObjectNode node = JsonHttp.object()
                .put("ID", instance.id())
                .put("Name", instance.name())
                .put("Address", instance.address())
                .put("Port", instance.port());
        instance.tags().forEach(node.putArray("Tags")::add);
        ObjectNode meta = node.putObject("Meta");
        instance.metadata().forEach(meta::put);
        node.putObject("Check")
                .put("CheckID", checkId(instance))
                .put("Name", "autoreg TTL")
                .put("TTL", seconds(checkTtl))
                // Registered when it already listens: passing at once, not critical until the first pass.
                .put("Status", "passing")
                .put("DeregisterCriticalServiceAfter", seconds(deregisterAfter));
        return node;
    }

    @Override
    public boolean renew(Lease lease) throws IOException {
        Answer answer = http.put(http.url("v1/agent/check/pass/" + checkId(lease.instance())), null);
        if (answer.ok()) {
            return true;
        }
        // The agent lost the service (agent restarted without persistence, or the service was
        // deregistered after being critical): older agents answer 500, newer ones 404.
        if ((answer.code() == 500 || answer.code() == 404)
                && (answer.body().contains("does not have associated TTL")
                        || answer.body().contains("Unknown check"))) {
            return false;
        }
        throw answer.failure("check pass for " + lease.instance().id());
    }

    @Override
    public boolean supportsDrain() {
        return true;
    }

    @Override
    public void markOutOfService(Lease lease) throws IOException {
        HttpUrl url = http.url(
                        "v1/agent/service/maintenance/" + lease.instance().id())
                .newBuilder()
                .addQueryParameter("enable", "true")
                .addQueryParameter("reason", "autoreg: draining before shutdown")
                .build();
        http.put(url, null).expect("maintenance " + lease.instance().id());
    }

    @Override
    public void deregister(Lease lease) throws IOException {
        Answer answer = http.put(
                http.url("v1/agent/service/deregister/" + lease.instance().id()), null);
        if (answer.ok()
                || (answer.code() == 404 || answer.code() == 500)
                        && answer.body().contains("Unknown service")) {
            return;
        }
        throw answer.failure("deregister " + lease.instance().id());
    }

    /** The id Consul gives the check embedded in a service registration. */
    static String checkId(ServiceInstance instance) {
        return "service:" + instance.id();
    }

    private static String seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000) + "s";
    }

    record ConsulLease(ServiceInstance instance) implements Lease {}
}
