package io.autoreg.agent.hook;

/** What a hooked method's exit reports. The name travels through the queue as a plain string. */
public enum EventKind {
    BIND("bind"),
    CLOSE("close");

    private final String wireName;

    EventKind(String wireName) {
        this.wireName = wireName;
    }

    /** The string the inserted bytecode puts first in the event array. */
    public String wireName() {
        return wireName;
    }

    public static EventKind fromWireName(Object name) {
        return BIND.wireName.equals(name) ? BIND : CLOSE.wireName.equals(name) ? CLOSE : null;
    }
}
