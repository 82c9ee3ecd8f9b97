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
        Attempt attempt = new Attempt(services, spec);
        Created created = lost.create(attempt);
        if (created == null) {
            throw attempt.refusal;
        }
        return created;
    }

    /** {@code POST /services}, {@code GET} and {@code DELETE /services/{id}} through the client. */
    private static final class Attempt implements LostCreations.Creation<Created> {
        private final ServicesApi services;
        private final ServiceCreate spec;
        /** The latest refusal of the id as existing, thrown when it stands. */
        private ServiceExistsException refusal;

        Attempt(ServicesApi services, ServiceCreate spec) {
            this.services = services;
            this.spec = spec;
        }

        @Override
        public String id() {
            return spec.id();
        }

        @Override
        public Duration timeout() {
            return spec.heartbeatTimeout() == null ? Duration.ZERO : Duration.ofSeconds(spec.heartbeatTimeout());
        }

        @Override
        public Created send(long sentAt) throws IOException {
            try {
                return new Created(services.create(spec).token(), sentAt);
            } catch (ServiceExistsException e) {
                refusal = e;
                return null;
            }
        }

        @Override
        public boolean mayHaveApplied(IOException failure) {
            return !(failure instanceof RegistryApiException answered) || answered.isTransient();
        }

        @Override
        public LostCreations.Entry look() throws IOException {
            try {
                return isExactly(services.get(spec.id()), spec)
                        ? LostCreations.Entry.OURS
                        : LostCreations.Entry.ANOTHER;
            } catch (NotFoundException gone) {
                return LostCreations.Entry.GONE;
            }
        }

        @Override
        public void delete() throws IOException {
            try {
                services.delete(spec.id());
            } catch (NotFoundException expiredMeanwhile) {
                // gone all the same
            }
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
