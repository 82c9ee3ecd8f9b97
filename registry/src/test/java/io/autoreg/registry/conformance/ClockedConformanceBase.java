package io.autoreg.registry.conformance;

import io.autoreg.registry.support.SettableClock;

/**
 * A conformance suite whose server reads a {@link SettableClock}: time stands still unless a test
 * moves it, so the time rules of docs/api.md are checked at their edges (one millisecond before and at the
 * limit) without waiting. Tests of a class run one after another, and each moves the clock only forward.
 */
public abstract class ClockedConformanceBase extends ConformanceBase {
    protected final SettableClock clock = new SettableClock();

    @Override
    protected ConformanceServer launch() {
        return ConformanceServer.startWith(clock, serverConfig());
    }

    /** HOCON for the server (users, tokens, retention); none by default. */
    protected String serverConfig() {
        return "";
    }
}
