package io.autoreg.registry.services;

/** What services need to know about sessions: whether one is alive. */
public interface SessionDirectory {
  boolean alive(String tenant, String sessionId, long now);
}
