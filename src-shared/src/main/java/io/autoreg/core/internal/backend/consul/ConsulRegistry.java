package io.autoreg.core.internal.backend.consul;

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
    private static final MediaType JSON = MediaType.get("application/json");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpUrl baseUrl;
    private final String token;
    private final OkHttpClient http;

    /** Over the process's shared HTTP client, with the settings' timeouts and TLS files. */
    public ConsulRegistry(RegistrySettings settings) {
        this(settings, HttpClients.forRegistry(settings));
    }

    public ConsulRegistry(RegistrySettings settings, OkHttpClient http) {
        this.baseUrl = HttpUrl.get(settings.url());
        this.token = settings.token();
        this.http = http;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Lease register(ServiceInstance instance, Duration ttl) throws IOException {
        byte[] body = MAPPER.writeValueAsBytes(registration(instance, ttl));
        try (Response response = call(url("v1/agent/service/register"), RequestBody.create(body, JSON))) {
            if (!response.isSuccessful()) {
                throw failure("register " + instance.id(), response);
            }
        }
        return new ConsulLease(instance);
    }

    /** The body of {@code PUT /v1/agent/service/register}. */
    static ObjectNode registration(ServiceInstance instance, Duration ttl) {
        Duration checkTtl = new HeartbeatSettings(ttl, null).effectiveInterval().multipliedBy(3);
        Duration deregisterAfter = checkTtl.multipliedBy(2).compareTo(MIN_DEREGISTER_AFTER) < 0
                ? MIN_DEREGISTER_AFTER : checkTtl.multipliedBy(2);
        ObjectNode node = MAPPER.createObjectNode()
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
        HttpUrl url = url("v1/agent/check/pass/" + checkId(lease.instance()));
        try (Response response = call(url, RequestBody.create(new byte[0], null))) {
            if (response.isSuccessful()) {
                return true;
            }
            String text = bodyOf(response);
            // The agent lost the service (agent restarted without persistence, or the service was
            // deregistered after being critical): older agents answer 500, newer ones 404.
            if ((response.code() == 500 || response.code() == 404)
                    && (text.contains("does not have associated TTL") || text.contains("Unknown check"))) {
                return false;
            }
            throw new IOException("consul check pass for " + lease.instance().id() + " answered "
                    + response.code() + ": " + text);
        }
    }

    @Override
    public boolean supportsDrain() {
        return true;
    }

    @Override
    public void markOutOfService(Lease lease) throws IOException {
        HttpUrl url = url("v1/agent/service/maintenance/" + lease.instance().id()).newBuilder()
                .addQueryParameter("enable", "true")
                .addQueryParameter("reason", "autoreg: draining before shutdown")
                .build();
        try (Response response = call(url, RequestBody.create(new byte[0], null))) {
            if (!response.isSuccessful()) {
                throw failure("maintenance " + lease.instance().id(), response);
            }
        }
    }

    @Override
    public void deregister(Lease lease) throws IOException {
        HttpUrl url = url("v1/agent/service/deregister/" + lease.instance().id());
        try (Response response = call(url, RequestBody.create(new byte[0], null))) {
            if (response.isSuccessful()) {
                return;
            }
            String text = bodyOf(response);
            if ((response.code() == 404 || response.code() == 500) && text.contains("Unknown service")) {
                return;
            }
            throw new IOException("consul deregister " + lease.instance().id() + " answered "
                    + response.code() + ": " + text);
        }
    }

    /** The id Consul gives the check embedded in a service registration. */
    static String checkId(ServiceInstance instance) {
        return "service:" + instance.id();
    }

    private HttpUrl url(String path) {
        // addPathSegments would split an id containing '/'; ids are [a-zA-Z0-9_.-] so this is exact.
        return baseUrl.newBuilder().addPathSegments(path).build();
    }

    private Response call(HttpUrl url, RequestBody body) throws IOException {
        Request.Builder request = new Request.Builder().url(url).put(body);
        if (token != null) {
            request.header("X-Consul-Token", token);
        }
        return http.newCall(request.build()).execute();
    }

    /** A 4xx no retry gets past (a bad definition, an ACL that forbids it) is a {@link RefusedException}. */
    private static IOException failure(String what, Response response) throws IOException {
        String message = "consul " + what + " answered " + response.code() + ": " + bodyOf(response);
        return RefusedException.isRefusal(response.code(), null) ? new RefusedException(message) : new IOException(message);
    }

    private static String bodyOf(Response response) throws IOException {
        return response.body() == null ? "" : response.body().string();
    }

    private static String seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000) + "s";
    }

    record ConsulLease(ServiceInstance instance) implements Lease {
    }
}
