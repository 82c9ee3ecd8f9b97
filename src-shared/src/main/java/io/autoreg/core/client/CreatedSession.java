package io.autoreg.core.client;

/** A session just created: its server-made id (from {@code Location}), its first token, the Location. */
public record CreatedSession(String id, String token, String location) {}
