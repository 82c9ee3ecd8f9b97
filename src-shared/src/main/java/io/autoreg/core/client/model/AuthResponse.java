package io.autoreg.core.client.model;

/**
 * The answer of {@code /v2.0/tokens}: {@code access.token.id}, {@code access.token.expires} (ISO-8601)
 * and {@code access.token.tenant.id}.
 */
public record AuthResponse(Access access) {

    public record Access(AccessToken token) {}

    public record AccessToken(String id, String expires, Tenant tenant) {}

    public record Tenant(String id) {}
}
