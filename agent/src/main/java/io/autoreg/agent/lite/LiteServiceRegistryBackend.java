package io.autoreg.agent.lite;

import io.autoreg.core.internal.lifecycle.LostCreations;
import io.autoreg.core.internal.lifecycle.RefusedException;
import io.autoreg.core.internal.lifecycle.TokenChain;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.core.internal.settings.RegistrySettings;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The service-registry backend on {@link LiteHttp} (one persistent plain-HTTP connection) with a few
 * lines of JSON, for the agent's fast path: OkHttp, Kotlin and Jackson cost a cold host
 * JVM ~190 ms of CPU and ~21 MiB of RSS (measured with agent/bench). Same wire behaviour as the
 * core's {@code ServiceRegistryBackend}: the name travels in metadata {@code service_name}; a
 * duplicate id is not deleted but retried until the stale entry expires — unless a creation of ours went unanswered
 * just before and the entry is this JVM's ({@link LostCreations}, {@link #madeByThisJvm}); 404 on heartbeat means
 * register again, after deleting the entry when it is provably ours and only its token was spent by a lost answer
 * ({@link TokenChain}); delete is idempotent.
 */
public final class LiteServiceRegistryBackend extends LiteBackend {

    private final String token;
    private final LostCreations lostCreations = new LostCreations();

    /**
     * Whether this backend speaks to the registry as the core's would: service-registry over plain HTTP, with no
     * credentials but a static token and no TLS. Then it serves settings read by the core's reader too (a config
     * file, say): the core's client would load ~1,000 classes of OkHttp, Kotlin and Jackson for the same requests.
     */
    public static boolean serves(RegistrySettings settings) {
        if (!"service-registry".equals(settings.type())
                || settings.username() != null
                || settings.apiKey() != null
                || settings.authUrl() != null) {
            return false;
        }
        return LiteHttp.canSpeakTo(settings);
    }

    public LiteServiceRegistryBackend(RegistrySettings settings) {
        super("service-registry", LiteServers.forRegistry("service-registry", settings, "X-Auth-Token"));
        this.token = settings.token();
    }

    @Override
    public Lease register(ServiceInstance instance, Duration ttl) throws IOException {
        Lease lease = lostCreations.create(new LiteCreation(this, instance, ttl));
        if (lease == null) {
            throw new IOException("service " + instance.id() + " is still registered (a previous run that has not"
                    + " expired yet, or another instance with the same id); retrying until it expires");
        }
        return lease;
    }

    /**
     * One registration's requests: {@code POST /services}, and on a duplicate that a lost creation may have made,
     * {@code GET} and {@code DELETE /services/{id}}. A named class: no lambda on the agent's path.
     */
    private static final class LiteCreation implements LostCreations.Creation<Lease> {
        private final LiteServiceRegistryBackend backend;
        private final ServiceInstance instance;
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private final long seconds;
        private final String body;
        /** The status of the latest creation's answer; 0 when none came. */
        private int status;

        LiteCreation(LiteServiceRegistryBackend backend, ServiceInstance instance, Duration ttl) {
            this.backend = backend;
            this.instance = instance;
            metadata.put("service_name", instance.name());
            metadata.putAll(instance.metadata());
            this.seconds = Math.max(3, Math.min(120, ttl.toSeconds()));
            this.body = "{\"id\":" + LiteJson.string(instance.id()) + ",\"heartbeat_timeout\":" + seconds
                    + ",\"tags\":" + LiteJson.array(instance.tags()) + ",\"metadata\":" + LiteJson.object(metadata)
                    + "}";
        }

        @Override
        public String id() {
            return instance.id();
        }

        @Override
        public Duration timeout() {
            return Duration.ofSeconds(seconds);
        }

        @Override
        public Lease send(long sentAt) throws IOException {
            status = 0;
            LiteHttp.Answer answer = backend.call("POST", "/services", body);
            status = answer.status();
            if (status == 201) {
                return new LiteLease(instance, new TokenChain(token(answer), timeout(), sentAt));
            }
            if (status == 400 && "serviceWithThisIdExists".equals(faultType(answer))) {
                return null;
            }
            throw unexpected("register " + id(), answer);
        }

        /** No answer, a server error, or a created answer whose token cannot be read. */
        @Override
        public boolean mayHaveApplied(IOException failure) {
            return status == 0 || status == 201 || status >= 500;
        }

        @Override
        public LostCreations.Entry look() throws IOException {
            LiteHttp.Answer entry = backend.call("GET", "/services/" + encode(id()), null);
            if (entry.status() == 404) {
                return LostCreations.Entry.GONE;
            }
            return entry.status() == 200 && madeByThisJvm(entry, metadata, seconds)
                    ? LostCreations.Entry.OURS
                    : LostCreations.Entry.ANOTHER;
        }

        @Override
        public void delete() throws IOException {
            backend.delete(id());
        }
    }

    /**
     * Whether the registry's entry ({@code GET /services/{id}}) was created by this JVM: the timeout, name, host and
     * process id that the agent's metadata carries ({@code InstanceFactory}) are ours. Without a {@code pid} in our
     * metadata nothing tells, and the entry is left alone.
     */
    static boolean madeByThisJvm(LiteHttp.Answer entry, Map<String, String> metadata, long seconds) {
        String pid = metadata.get("pid");
        return pid != null
                && LiteJson.longField(entry.body(), "heartbeat_timeout", -1) == seconds
                && pid.equals(LiteJson.scalarField(entry.body(), "pid"))
                && Objects.equals(metadata.get("host"), LiteJson.scalarField(entry.body(), "host"))
                && Objects.equals(metadata.get("service_name"), LiteJson.scalarField(entry.body(), "service_name"));
    }

    @Override
    public boolean renew(Lease lease) throws IOException {
        TokenChain chain = ((LiteLease) lease).chain;
        String id = lease.instance().id();
        long sentAt = TokenChain.now();
        LiteHttp.Answer answer;
        try {
            answer = call(
                    "POST",
                    "/services/" + encode(id) + "/heartbeat",
                    "{\"token\":" + LiteJson.string(chain.token()) + "}");
        } catch (IOException unanswered) {
            chain.unanswered(sentAt);
            throw unanswered;
        }
        if (answer.status() == 200) {
            String next;
            try {
                next = token(answer);
            } catch (IOException unreadable) {
                chain.unanswered(sentAt); // applied, but its next token cannot be read
                throw unreadable;
            }
            chain.renewed(next, sentAt);
            return true;
        }
        if (answer.status() == 404) {
            if (chain.deleteBeforeCreatingAgain(turnsDownTheToken(answer), "service " + id)) {
                deregister(lease);
            }
            return false;
        }
        if (answer.status() >= 500) {
            chain.unanswered(sentAt);
        }
        throw unexpected("heartbeat " + id, answer);
    }

    @Override
    public void deregister(Lease lease) throws IOException {
        delete(lease.instance().id());
    }

    /** Idempotent: an entry expired or deleted already is gone all the same. */
    private void delete(String id) throws IOException {
        LiteHttp.Answer answer = call("DELETE", "/services/" + encode(id), null);
        if (answer.status() != 204 && answer.status() != 404) {
            throw unexpected("deregister " + id, answer);
        }
    }

    private LiteHttp.Answer call(String method, String path, String json) throws IOException {
        return http.call(method, path, json, token);
    }

    private static String token(LiteHttp.Answer answer) throws IOException {
        String token = LiteJson.stringField(answer.body(), "token");
        if (token == null) {
            throw new IOException("no token in the registry's answer: " + answer.body());
        }
        return token;
    }

    /**
     * {@link TokenChain#turnsDownTheToken} on the fault as it stands in the body, its quotes escaped:
     * {@code "details":"Object \"HeartbeatMarker\" with key …"}, a string that starts so ({@link LiteJson} reads
     * strings without escapes only).
     */
    private static boolean turnsDownTheToken(LiteHttp.Answer answer) {
        return answer.body().contains("\"Object \\\"HeartbeatMarker\\\"");
    }

    private static String faultType(LiteHttp.Answer answer) {
        return LiteJson.stringField(answer.body(), "type");
    }

    /** A 4xx that no retry gets past is a {@link RefusedException}, which the lifecycle retries slowly. */
    private static IOException unexpected(String what, LiteHttp.Answer answer) {
        String body = answer.body().length() > 300 ? answer.body().substring(0, 300) + "…" : answer.body();
        String message = what + ": HTTP " + answer.status() + " " + body;
        return RefusedException.isRefusal(answer.status(), faultType(answer))
                ? new RefusedException(message)
                : new IOException(message);
    }

    /** Ids are {@code [A-Za-z0-9_.-]} (validated or sanitised before they get here): nothing to escape in a path. */
    private static String encode(String id) {
        return id;
    }

    private static final class LiteLease implements Lease {
        private final ServiceInstance instance;
        private final TokenChain chain;

        LiteLease(ServiceInstance instance, TokenChain chain) {
            this.instance = instance;
            this.chain = chain;
        }

        @Override
        public ServiceInstance instance() {
            return instance;
        }
    }
}
