package io.autoreg.agent.lite;

import io.autoreg.core.internal.lifecycle.RefusedException;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.core.internal.settings.HeartbeatSettings;
import io.autoreg.core.internal.settings.RegistrySettings;
import java.io.IOException;
import java.time.Duration;

/**
 * The Consul backend on {@link LiteHttp}, for the agent's fast path: the core's {@code ConsulRegistry} sends the same
 * requests to the local Consul agent through OkHttp and Jackson. Same wire behaviour as the core's: the service with an
 * embedded TTL check ({@code service:<id>}, passing at once, critical after three renewal intervals, deregistered by
 * Consul after twice that and at least a minute), {@code check/pass} to renew (Consul's "Unknown check" or "does not
 * have associated TTL": register again), maintenance mode to drain, {@code service/deregister} to leave (an unknown
 * service is fine); the token in {@code X-Consul-Token}, a URL's user info as basic auth. Only TLS stays with the
 * core's client.
 */
public final class LiteConsulBackend extends LiteBackend {

    static final String TYPE = "consul";
    /** The core's {@code ConsulRegistry.MIN_DEREGISTER_AFTER}: Consul's reaper will not act sooner than a minute. */
    private static final Duration MIN_DEREGISTER_AFTER = Duration.ofMinutes(1);
    /** {@code enable=true&reason=autoreg: draining before shutdown}, encoded as OkHttp encodes a query parameter. */
    private static final String MAINTENANCE_QUERY = "?enable=true&reason=autoreg%3A%20draining%20before%20shutdown";

    private final String token;

    /** Whether this client speaks to Consul as the core's would: plain HTTP (user info as basic auth), no TLS files. */
    public static boolean serves(RegistrySettings settings) {
        return TYPE.equals(settings.type()) && LiteHttp.canSpeakTo(settings, true);
    }

    public LiteConsulBackend(RegistrySettings settings) {
        super(TYPE, LiteServers.forRegistry(TYPE, settings, "X-Consul-Token"));
        this.token = settings.token();
    }

    @Override
    public Lease register(ServiceInstance instance, Duration ttl) throws IOException {
        LiteHttp.expect(
                TYPE, "register " + instance.id(), call("/v1/agent/service/register", registration(instance, ttl)));
        return new InstanceLease(instance);
    }

    /** The body of {@code PUT /v1/agent/service/register}, field for field the core's {@code registration}. */
    static String registration(ServiceInstance instance, Duration ttl) {
        Duration checkTtl = new HeartbeatSettings(ttl, null).effectiveInterval().multipliedBy(3);
        Duration deregisterAfter = checkTtl.multipliedBy(2).compareTo(MIN_DEREGISTER_AFTER) < 0
                ? MIN_DEREGISTER_AFTER
                : checkTtl.multipliedBy(2);
        return "{\"ID\":" + LiteJson.string(instance.id())
                + ",\"Name\":" + LiteJson.string(instance.name())
                + ",\"Address\":" + LiteJson.string(instance.address())
                + ",\"Port\":" + instance.port()
                + ",\"Tags\":" + LiteJson.array(instance.tags())
                + ",\"Meta\":" + LiteJson.object(instance.metadata())
                + ",\"Check\":{\"CheckID\":" + LiteJson.string(checkId(instance))
                + ",\"Name\":\"autoreg TTL\""
                + ",\"TTL\":\"" + seconds(checkTtl) + "\""
                // registered when it already listens: passing at once, not critical until the first pass
                + ",\"Status\":\"passing\""
                + ",\"DeregisterCriticalServiceAfter\":\"" + seconds(deregisterAfter) + "\"}}";
    }

    @Override
    public boolean renew(Lease lease) throws IOException {
        LiteHttp.Answer answer = call("/v1/agent/check/pass/" + LiteHttp.pathSegment(checkId(lease.instance())), null);
        if (answer.ok()) {
            return true;
        }
        // the agent lost the service (restarted without persistence, or reaped it after it was critical): older
        // agents answer 500, newer ones 404
        if ((answer.status() == 500 || answer.status() == 404)
                && (answer.body().contains("does not have associated TTL")
                        || answer.body().contains("Unknown check"))) {
            return false;
        }
        throw failure("check pass for " + lease.instance().id(), answer);
    }

    @Override
    public boolean supportsDrain() {
        return true;
    }

    @Override
    public void markOutOfService(Lease lease) throws IOException {
        LiteHttp.expect(
                TYPE,
                "maintenance " + lease.instance().id(),
                call(
                        "/v1/agent/service/maintenance/"
                                + LiteHttp.pathSegment(lease.instance().id()) + MAINTENANCE_QUERY,
                        null));
    }

    @Override
    public void deregister(Lease lease) throws IOException {
        LiteHttp.Answer answer = call(
                "/v1/agent/service/deregister/"
                        + LiteHttp.pathSegment(lease.instance().id()),
                null);
        if (answer.ok()
                || (answer.status() == 404 || answer.status() == 500)
                        && answer.body().contains("Unknown service")) {
            return;
        }
        throw failure("deregister " + lease.instance().id(), answer);
    }

    /** Every call of the agent's API here is a PUT. */
    private LiteHttp.Answer call(String path, String json) throws IOException {
        return http.call("PUT", path, json, token);
    }

    /** The id Consul gives the check embedded in a service registration. */
    static String checkId(ServiceInstance instance) {
        return "service:" + instance.id();
    }

    private static String seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000) + "s";
    }

    /** A lasting 4xx (a bad definition, an ACL that forbids it) is a refusal: the core's default rule. */
    private static IOException failure(String what, LiteHttp.Answer answer) {
        return LiteHttp.failure(TYPE, what, answer, RefusedException.isRefusal(answer.status(), null));
    }
}
