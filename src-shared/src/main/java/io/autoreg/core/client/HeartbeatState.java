package io.autoreg.core.client;

import io.autoreg.core.internal.lifecycle.RegistrationState;

/**
 * Where a {@link Heartbeater} is: {@code PENDING → REGISTERING → REGISTERED ⇄ RE_REGISTERING → DEREGISTERED}.
 *
 * <p>The client's own view of the lifecycle the heartbeater runs on. It is mapped from autoreg's internal
 * registration state rather than being it, so that the internal engine can change without changing the
 * client API (docs/architecture.md, "Public API and internal packages").
 */
public enum HeartbeatState {
    /** Not started yet ({@link Heartbeater#start()} not called), or the first creation not begun. */
    PENDING,
    /** Creating the service or session for the first time, retrying with backoff until the registry accepts it. */
    REGISTERING,
    /** Created and heartbeating. */
    REGISTERED,
    /** Was registered, then the registry forgot it (a beat answered 404): creating it again. */
    RE_REGISTERING,
    /** Stopped for good by {@link Heartbeater#close()} (deleted) or {@link Heartbeater#stop()} (left to expire). */
    DEREGISTERED;

    /** An exhaustive switch: a new internal state fails the build here instead of leaking through. */
    static HeartbeatState of(RegistrationState state) {
        return switch (state) {
            case PENDING -> PENDING;
            case REGISTERING -> REGISTERING;
            case REGISTERED -> REGISTERED;
            case RE_REGISTERING -> RE_REGISTERING;
            case DEREGISTERED -> DEREGISTERED;
        };
    }
}
