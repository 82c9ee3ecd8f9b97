package io.autoreg.core.internal.backend.registro;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.core.internal.backend.http.JsonHttp;
import io.autoreg.core.internal.backend.http.JsonHttp.Answer;
import io.autoreg.core.internal.http.HttpClients;
import io.autoreg.core.internal.lifecycle.RegistryBackend;
import io.autoreg.core.internal.log.Log;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.core.internal.settings.RegistrySettings;
import java.io.IOException;
import java.time.Duration;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * The Registro API ({@code mscansian/registro}, and the registry server's dialect of it, docs/api.md §9):
 * {@code autoreg.registry.url} is the API base, e.g. {@code http://127.0.0.1:8080/registro/1.0}. An app
 * is a service name, created on first use; an instance carries only id, ip and port (Registro has no
 * tags or metadata). Registro's timings are fixed by the server (an {@code up} instance is {@code down}
 * after 90 s without renewal, any instance is removed 10 min after its last renewal), so the heartbeat
 * timeout only sets how often the lifecycle renews.
 *
 * <p>Two rules of Registro shape registration:
 * <ul>
 *   <li>A new instance is {@code starting} and only its first renewal makes it {@code up}, the one status
 *       Registro's own client lists as available. So {@link #register} renews at once.</li>
 *   <li>An id is taken until the server removes the entry: POST answers 409 whatever its status, and a
 *       DELETE (our deregistration) leaves it {@code out-of-service}, which no renewal can lift (403) for
 *       10 minutes. An entry with our address that is not out-of-service is a crashed predecessor's and
 *       is taken over by renewing it; otherwise this incarnation registers under the next free
 *       alternative id, {@code <id>_2}, {@code <id>_3} … (Registro's consumers pick instances by status and
 *       address, not by id), so a clean restart is {@code up} again at once.</li>
 * </ul>
 */
public final class RegistroRegistry implements RegistryBackend {

    public static final String TYPE = "registro";
    /**
     * The id and its alternatives tried per registration. An id is free again 10 minutes after the stop
     * that took it out of service, so 32 ids allow a clean restart every 19 s, sustained, before a
     * registration has to wait for the oldest to be removed.
     */
    static final int MAX_IDS = 32;

    private static final String OUT_OF_SERVICE = "out-of-service";

    private final JsonHttp http;

    /** Over the process's shared HTTP client, with the settings' timeouts and TLS files. */
    public RegistroRegistry(RegistrySettings settings) {
        this(settings, HttpClients.forRegistry(settings));
    }

    public RegistroRegistry(RegistrySettings settings, OkHttpClient http) {
        // A 4xx no retry gets past is a refusal, the default rule: 400 (a value over a limit of the server's
        // dialect), 401/403 (a token, a tenant; or an entry someone took out of service, which our renewals
        // must not bring back), 413. 409 and 403 where they mean "held" are read before that (claim).
        this.http = JsonHttp.builder(TYPE, settings.url(), http)
                .header("X-Auth-Token", settings.token())
                .build();
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** The id Registro knows an instance by: its own id first, then {@code <id>_2}, {@code <id>_3} …. */
    static String registroId(String id, int incarnation) {
        return incarnation == 1 ? id : id + "_" + incarnation;
    }

    @Override
    public Lease register(ServiceInstance instance, Duration ttl) throws IOException {
        createAppIfMissing(instance.name());
        for (int incarnation = 1; incarnation <= MAX_IDS; incarnation++) {
            String id = registroId(instance.id(), incarnation);
            if (claim(instance, id)) {
                if (incarnation > 1) {
                    Log.info("registro: " + instance.id() + " is held by an out-of-service entry (a previous stop) "
                            + "or another address; registered as " + id);
                }
                return new RegistroLease(instance, id);
            }
        }
        throw new IOException("registro: " + instance.id() + " and its alternatives up to "
                + registroId(instance.id(), MAX_IDS) + " are all held (out-of-service after recent stops, or another "
                + "address); retrying until Registro removes them, 10 minutes after their last renewal");
    }

    /**
     * Makes {@code id} ours and {@code up}: creates it and renews it at once, or takes over an entry
     * that is our crashed predecessor's (same address, not out-of-service) by renewing it.
     *
     * @return false if the id is held by an out-of-service entry or by another address
     */
    private boolean claim(ServiceInstance instance, String id) throws IOException {
        // Twice at most: the server may remove the entry between our POST and our GET.
        for (int attempt = 0; attempt < 2; attempt++) {
            Answer created = http.post(
                    appUrl(instance.name()).build(),
                    JsonHttp.object()
                            .put("id", id)
                            .put("ip", instance.address())
                            .put("port", instance.port()));
            if (created.ok()) {
                if (renewId(instance, id) != Renewal.RENEWED) {
                    throw new IOException("registro: " + id + " was registered but its first renewal failed");
                }
                return true;
            }
            if (created.code() != 409) {
                throw created.failure("register " + id);
            }
            JsonNode existing = instanceJson(instance, id);
            if (existing == null) {
                continue;
            }
            if (OUT_OF_SERVICE.equals(existing.path("status").asText())
                    || !instance.address().equals(existing.path("ip").asText())
                    || instance.port() != existing.path("port").asInt()) {
                return false;
            }
            Renewal renewal = renewId(instance, id);
            if (renewal != Renewal.GONE) {
                return renewal == Renewal.RENEWED;
            }
            // removed between our GET and our PUT: POST it again
        }
        throw new IOException("registro: " + id + " exists at POST but is gone at GET, twice; retrying");
    }

    /** The instance as {@code GET …/apps/{app}/{id}} shows it, or null if the server has none. */
    private JsonNode instanceJson(ServiceInstance instance, String id) throws IOException {
        Answer answer = http.get(instanceUrl(instance, id));
        if (answer.code() == 404) {
            return null;
        }
        return answer.expect("read " + id).json();
    }

    private void createAppIfMissing(String app) throws IOException {
        Answer answer = http.post(http.url("apps"), JsonHttp.object().put("name", app));
        if (answer.code() != 409) {
            answer.expect("create app " + app);
        }
    }

    @Override
    public boolean renew(Lease lease) throws IOException {
        RegistroLease registro = (RegistroLease) lease;
        Answer answer = http.put(instanceUrl(lease.instance(), registro.registroId()), null);
        if (answer.code() == 404) {
            return false;
        }
        // 403: someone marked it out-of-service; it must not come back up by our renewals: a refusal, so
        // the lifecycle says so once and asks slowly until Registro drops the entry (then 404: register).
        answer.expect("renew " + registro.registroId());
        return true;
    }

    private enum Renewal {
        RENEWED,
        OUT_OF_SERVICE,
        GONE
    }

    /** PUT: renewed (now {@code up}), 403 out-of-service, 404 gone; other answers throw. */
    private Renewal renewId(ServiceInstance instance, String id) throws IOException {
        Answer answer = http.put(instanceUrl(instance, id), null);
        if (answer.ok()) {
            return Renewal.RENEWED;
        }
        if (answer.code() == 403) {
            return Renewal.OUT_OF_SERVICE;
        }
        if (answer.code() == 404) {
            return Renewal.GONE;
        }
        throw answer.failure("renew " + id);
    }

    @Override
    public void deregister(Lease lease) throws IOException {
        RegistroLease registro = (RegistroLease) lease;
        Answer answer = http.delete(instanceUrl(lease.instance(), registro.registroId()));
        if (answer.code() != 404) {
            answer.expect("delete " + registro.registroId());
        }
    }

    private HttpUrl.Builder appUrl(String app) {
        return http.url().addPathSegment("apps").addPathSegment(app);
    }

    private HttpUrl instanceUrl(ServiceInstance instance, String id) {
        return appUrl(instance.name()).addPathSegment(id).build();
    }

    /**
     * A registration as Registro knows it.
     *
     * @param registroId the id the entry has in Registro: the instance's own id or one of its alternatives
     */
    record RegistroLease(ServiceInstance instance, String registroId) implements Lease {}
}
