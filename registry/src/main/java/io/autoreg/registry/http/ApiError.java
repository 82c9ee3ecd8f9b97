package io.autoreg.registry.http;

/** A request that ends in a fault body (docs/api.md §1). Thrown by route code, rendered by {@link Replies}. */
public final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String type;
    private final String details;
    private final long retryAfterSeconds;

    public ApiError(int status, String type, String message, String details) {
        this(status, type, message, details, 0);
    }

    private ApiError(int status, String type, String message, String details, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.details = details;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String details() {
        return details;
    }
    /** Seconds for the Retry-After header, 0 for none. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /**
     * 429 {@code rateLimitReached} with Retry-After (at least 1 s). The type is the one the original
     * clients match on; the status says "later", not "wrong", so no client takes it as final.
     */
    public static ApiError tooManyRequests(String message, String details, long retryAfterMillis) {
        return new ApiError(429, "rateLimitReached", message, details, Math.max(1, (retryAfterMillis + 999) / 1000));
    }

    /**
     * 400 {@code limitReached}: a create over the tenant's quota. Final for this request: repeating it
     * cannot succeed until an object is deleted or expires or the operator raises the quota, so it is a
     * 400 (a client must not retry it as it would a 429 or 5xx), and the details name the setting.
     */
    public static ApiError quotaReached(long quota, String objects, String settingKey) {
        return new ApiError(
                400,
                "limitReached",
                "Limit reached",
                "The tenant has reached its quota of " + quota + " " + objects + " (" + settingKey
                        + "); another is refused until one is deleted or expires, or the quota is raised");
    }

    /** 421: an open server was addressed by a name that is not one of its own (DNS rebinding). */
    public static ApiError misdirected(String host) {
        return new ApiError(
                421,
                "misdirectedRequest",
                "Misdirected request",
                "Host '" + host
                        + "' is not a name of this registry: with no users or tokens configured it answers only "
                        + "localhost, 127.0.0.0/8, [::1], its own address and the names in autoreg.server.allowed-hosts");
    }

    public static ApiError badRequest(String message, String details) {
        return new ApiError(400, "badRequest", message, details);
    }

    public static ApiError validation(String key, String details) {
        return badRequest("Validation error for key '" + key + "'", details);
    }

    public static ApiError invalidParameter(String name) {
        return badRequest("Invalid value for '" + name + "' query string parameter", null);
    }

    public static ApiError notFound(String kind, String key) {
        return new ApiError(
                404,
                "notFoundError",
                "Object does not exist",
                "Object \"" + kind + "\" with key \"" + key + "\" does not exist");
    }

    public static ApiError pageNotFound() {
        return new ApiError(404, "notFoundError", "The page cannot be found.", null);
    }

    public static ApiError methodNotAllowed(String method) {
        return new ApiError(405, "methodNotAllowed", "Method not allowed", "Method " + method + " is not allowed here");
    }

    public static ApiError unauthorized(String details) {
        return new ApiError(401, "unauthorizedError", "Unauthorized", details);
    }

    public static ApiError forbidden() {
        return new ApiError(403, "forbiddenError", "Forbidden", "The token does not grant access to this tenant");
    }

    public static ApiError tooLarge() {
        return new ApiError(
                413,
                "requestTooLargeError",
                "Request too large",
                "The request body is larger than " + Bodies.MAX_BODY_BYTES + " bytes");
    }

    public static ApiError internal() {
        return new ApiError(500, "internalError", "Internal Error", "Internal Error");
    }

    public static ApiError unavailable() {
        return new ApiError(503, "systemFailureError", "Internal Error", "Internal Error");
    }
}
