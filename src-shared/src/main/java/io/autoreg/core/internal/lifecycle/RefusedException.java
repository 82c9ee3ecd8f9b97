package io.autoreg.core.internal.lifecycle;

import java.io.IOException;

/**
 * The registry understood the request and refused it for a reason that sending it again does not change:
 * a bad request (a value over one of its limits), bad credentials or a forbidden tenant, a quota that is
 * full. Only a change of the settings or of the registry helps, so the lifecycle says so in one error line
 * and then retries slowly ({@link io.autoreg.core.internal.lifecycle.Registration}) instead of with its usual
 * backoff. Transient failures (unreachable, timeouts, 5xx, a rate limit, an id whose stale entry has not
 * expired yet) stay plain {@link IOException}s.
 */
public class RefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    public RefusedException(String message) {
        super(message);
    }

    public RefusedException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether an HTTP answer with this status and fault type is a refusal: every 4xx except those a retry
     * can get past — 404 (the caller's business: gone), 408 and 429 (come back later), and the fault types
     * {@code serviceWithThisIdExists} (the stale entry expires) and {@code rateLimitReached}.
     */
    public static boolean isRefusal(int status, String faultType) {
        if (status < 400 || status > 499 || status == 404 || status == 408 || status == 429) {
            return false;
        }
        return !"serviceWithThisIdExists".equals(faultType) && !"rateLimitReached".equals(faultType);
    }
}
