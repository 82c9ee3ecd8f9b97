package io.autoreg.core.client;

import io.autoreg.core.client.model.Fault;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * The registry answered with an error status. Carries the fault body ({@code type}, {@code code},
 * {@code message}, {@code details}, {@code txnId}); subclasses name the statuses callers handle.
 * It is an {@link IOException} so callers that retry transient failures handle it too; use
 * {@link #isTransient()} to tell a registry in trouble (5xx) from a request it will never accept.
 */
public class RegistryApiException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Fault fault;
    private Duration retryAfter;

    public RegistryApiException(String call, int status, Fault fault) {
        super(call + " failed: HTTP " + status + describe(fault));
        this.status = status;
        this.fault = fault;
    }

    private static String describe(Fault fault) {
        if (fault == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        if (fault.type() != null) {
            b.append(' ').append(fault.type());
        }
        if (fault.message() != null) {
            b.append(": ").append(fault.message());
        }
        if (fault.details() != null && !fault.details().equals(fault.message())) {
            b.append(" (").append(fault.details()).append(')');
        }
        if (fault.txnId() != null) {
            b.append(" [txnId ").append(fault.txnId()).append(']');
        }
        return b.toString();
    }

    /** Picks the subclass for a status and fault type. */
    public static RegistryApiException of(String call, int status, Fault fault) {
        String type = fault == null ? null : fault.type();
        switch (status) {
            case 400:
                return "serviceWithThisIdExists".equals(type)
                        ? new ServiceExistsException(call, fault)
                        : new BadRequestException(call, status, fault);
            case 401:
                return new UnauthorizedException(call, fault);
            case 403:
                return new ForbiddenException(call, fault);
            case 404:
                return new NotFoundException(call, fault);
            case 413:
                return new RequestTooLargeException(call, fault);
            default:
                return status >= 500
                        ? new ServerErrorException(call, status, fault)
                        : new RegistryApiException(call, status, fault);
        }
    }

    public int status() {
        return status;
    }

    /** The fault body, or null when the answer had none (e.g. a proxy's error page). */
    public Fault fault() {
        return fault;
    }

    public String type() {
        return fault == null ? null : fault.type();
    }

    public String details() {
        return fault == null ? null : fault.details();
    }

    public String txnId() {
        return fault == null ? null : fault.txnId();
    }

    /**
     * The answer's {@code Retry-After} (429 {@code rateLimitReached}, a 503 from the registry or a proxy,
     * docs/api.md §6), when it had a usable one: how long the registry asked us to stay away.
     */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** Set by the transport from the response header (package-private: the exception is built first). */
    RegistryApiException retryAfter(Duration delay) {
        this.retryAfter = delay;
        return this;
    }

    /**
     * Whether the same request may succeed later: 5xx, 408 and 429 may; any other 4xx (a bad parameter,
     * bad credentials, a foreign tenant, an unknown path) will not, however often it is retried.
     */
    public boolean isRetryable() {
        return status >= 500 || status == 408 || status == 429;
    }

    /** 5xx: the registry is in trouble; worth retrying (and serving stale data meanwhile). */
    public boolean isTransient() {
        return status >= 500;
    }
}
