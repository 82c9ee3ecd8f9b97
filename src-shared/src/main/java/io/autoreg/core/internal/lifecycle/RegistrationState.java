package io.autoreg.core.internal.lifecycle;

/** {@code PENDING → REGISTERING → REGISTERED ⇄ RE_REGISTERING → DEREGISTERED}. */
public enum RegistrationState {
    /** Created, first attempt not started yet. */
    PENDING,
    /** Trying to register for the first time (retrying with backoff on failure). */
    REGISTERING,
    /** Registered and heartbeating. */
    REGISTERED,
    /** Was registered, then the registry forgot it or an update requires registering again. */
    RE_REGISTERING,
    /** Deregistered for good; terminal. */
    DEREGISTERED
}
