package io.autoreg.core.client;

/**
 * A service just created: its id, its first heartbeat token (null for a service inside a session),
 * and the {@code Location} the registry answered.
 */
public record CreatedService(String id, String token, String location) {}
