package io.autoreg.core.backend.registro;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autoreg.core.backend.RegistryBackend;
import io.autoreg.core.http.HttpClients;
import io.autoreg.core.model.ServiceInstance;
import io.autoreg.core.settings.RegistrySettings;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.IOException;
import java.time.Duration;

/**
 * The Registro dialect (§9 of the service-registry API): {@code autoreg.registry.url} is the dialect's
 * base, e.g. {@code http://127.0.0.1:8870/registro/1.0}. An app is a service name, created on first use;
 * an instance carries only id, ip and port (Registro has no tags or metadata). Registro's timings are
 * fixed by the server (down after 90 s without renewal, removed after 10 min), so the heartbeat timeout
 * only sets how often the lifecycle renews.
 */
public final class RegistroRegistry implements RegistryBackend {

    public static final String TYPE = "registro";
    private static final MediaType JSON = MediaType.get("application/json");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpUrl baseUrl;
    private final String token;
    private final OkHttpClient http;

    /** Over the process's shared HTTP client, with the settings' timeouts and TLS files. */
    public RegistroRegistry(RegistrySettings settings) {
        this(settings, HttpClients.forRegistry(settings));
    }

    public RegistroRegistry(RegistrySettings settings, OkHttpClient http) {
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
        createAppIfMissing(instance.name());
        ObjectNode body = MAPPER.createObjectNode()
                .put("id", instance.id())
                .put("ip", instance.address())
                .put("port", instance.port());
        try (Response response = send(post(appUrl(instance.name()).build(), body))) {
            if (response.code() == 409) {
                // Our own entry from before a crash: taking it over by renewing works while it is not
                // out-of-service; otherwise the lifecycle retries until the server removes it.
                RegistroLease lease = new RegistroLease(instance);
                if (!renew(lease)) {
                    throw new IOException("registro: " + instance.id() + " conflicts but cannot be renewed");
                }
                return lease;
            }
            if (response.code() != 201 && !response.isSuccessful()) {
                throw failure("register " + instance.id(), response);
            }
        }
        return new RegistroLease(instance);
    }

    private void createAppIfMissing(String app) throws IOException {
        ObjectNode body = MAPPER.createObjectNode().put("name", app);
        try (Response response = send(post(baseUrl.newBuilder().addPathSegment("apps").build(), body))) {
            if (response.code() != 409 && !response.isSuccessful()) {
                throw failure("create app " + app, response);
            }
        }
    }

    @Override
    public boolean renew(Lease lease) throws IOException {
        Request request = builder(instanceUrl(lease.instance())).put(RequestBody.create(new byte[0], null)).build();
        try (Response response = send(request)) {
            if (response.code() == 404) {
                return false;
            }
            if (!response.isSuccessful()) {
                // 403: someone marked it out-of-service; it must not come back up by our renewals.
                throw failure("renew " + lease.instance().id(), response);
            }
            return true;
        }
    }

    @Override
    public void deregister(Lease lease) throws IOException {
        Request request = builder(instanceUrl(lease.instance())).delete().build();
        try (Response response = send(request)) {
            if (!response.isSuccessful() && response.code() != 404) {
                throw failure("delete " + lease.instance().id(), response);
            }
        }
    }

    private HttpUrl.Builder appUrl(String app) {
        return baseUrl.newBuilder().addPathSegment("apps").addPathSegment(app);
    }

    private HttpUrl instanceUrl(ServiceInstance instance) {
        return appUrl(instance.name()).addPathSegment(instance.id()).build();
    }

    private Request post(HttpUrl url, ObjectNode body) throws IOException {
        return builder(url).post(RequestBody.create(MAPPER.writeValueAsBytes(body), JSON)).build();
    }

    private Request.Builder builder(HttpUrl url) {
        Request.Builder builder = new Request.Builder().url(url);
        if (token != null) {
            builder.header("X-Auth-Token", token);
        }
        return builder;
    }

    private Response send(Request request) throws IOException {
        return http.newCall(request).execute();
    }

    private static IOException failure(String what, Response response) throws IOException {
        String text = response.body() == null ? "" : response.body().string();
        return new IOException("registro " + what + " answered " + response.code() + ": " + text);
    }

    record RegistroLease(ServiceInstance instance) implements Lease {
    }
}
