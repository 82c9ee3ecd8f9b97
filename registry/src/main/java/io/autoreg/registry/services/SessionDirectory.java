package io.autoreg.registry.services;

/** What services need to know about sessions: whether one is alive, and until when. */
public interface SessionDirectory {
    boolean alive(String tenant, String sessionId, long now);

    /** The session's current deadline (epoch ms), or {@link Long#MIN_VALUE} if there is no such session. */
    long deadline(String tenant, String sessionId);

    SessionDirectory NONE = new SessionDirectory() {
        @Override
        public boolean alive(String tenant, String sessionId, long now) {
            return false;
        }

        @Override
        public long deadline(String tenant, String sessionId) {
            return Long.MIN_VALUE;
        }
    };
}
