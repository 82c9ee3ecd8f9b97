package io.autoreg.core.client;

import io.autoreg.core.client.model.Service;
import io.autoreg.core.client.model.ServiceCreate;
import io.autoreg.core.internal.lifecycle.LostCreations;
import io.autoreg.core.internal.lifecycle.TokenChain;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Creations of services with their own heartbeat timeout ({@code POST /services}), as the {@link Heartbeater} and the
 * agent's and sidecar's service-registry backend make them: an entry refused as a duplicate right after a creation of
 * ours went unanswered is deleted and created again at once when it holds exactly what we sent
 * ({@link LostCreations}); any other duplicate is refused as before ({@link ServiceExistsException}), to be retried
 * until it expires.
 */
public final class ServiceCreations {

    /** A created service's first token, and when the creation that made it was sent ({@link TokenChain#now()}). */
    public record Created(String token, long sentAt) {}

    private final ServicesApi services;
    private final LostCreations lost = new LostCreations();

    public ServiceCreations(ServicesApi services) {
        this.services = services;
    }

    /** Creates {@code spec} as described above (a session's service has no window of its own: created once). */
    public Created create(ServiceCreate spec) throws IOException {
        Duration timeout =
                spec.heartbeatTimeout() == null ? Duration.ZERO : Duration.ofSeconds(spec.heartbeatTimeout());
        try {
            return createOnce(spec);
        } catch (ServiceExistsException e) {
            if (lost.mayHaveMade(spec.id(), timeout)) {
                Service entry = entryOrNull(spec.id());
                if (entry == null) {
                    return createOnce(spec); // it expired meanwhile
                }
                if (isExactly(entry, spec)) {
                    LostCreations.warnDeleting("service " + spec.id());
                    try {
                        services.delete(spec.id());
                    } catch (NotFoundException expiredMeanwhile) {
                        // gone all the same
                    }
                    return createOnce(spec);
                }
            }
            lost.answered(spec.id());
            throw e;
        }
    }

    /** One creation; one that may have been applied without its answer reaching us is noted in {@link #lost}. */
    private Created createOnce(ServiceCreate spec) throws IOException {
        long sentAt = TokenChain.now();
        try {
            String token = services.create(spec).token();
            lost.answered(spec.id());
            return new Created(token, sentAt);
        } catch (RegistryApiException e) {
            if (e.isTransient()) { // a refusal (a duplicate included) was answered: nothing lost
                lost.unanswered(spec.id(), sentAt);
            }
            throw e;
        } catch (IOException e) {
            lost.unanswered(spec.id(), sentAt);
            throw e;
        }
    }

    private Service entryOrNull(String id) throws IOException {
        try {
            return services.get(id);
        } catch (NotFoundException gone) {
            return null;
        }
    }

    /** Whether the registry's entry is what {@code spec} makes: same timeout, tags and metadata, no session. */
    static boolean isExactly(Service entry, ServiceCreate spec) {
        return Objects.equals(spec.heartbeatTimeout(), entry.heartbeatTimeout())
                && entry.sessionId() == null
                && Objects.equals(orEmpty(spec.tags()), orEmpty(entry.tags()))
                && Objects.equals(orEmpty(spec.metadata()), orEmpty(entry.metadata()));
    }

    private static List<String> orEmpty(List<String> tags) {
        return tags == null ? List.of() : tags;
    }

    private static Map<String, String> orEmpty(Map<String, String> metadata) {
        return metadata == null ? Map.of() : metadata;
    }
}
