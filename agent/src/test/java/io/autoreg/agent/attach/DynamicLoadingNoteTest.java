package io.autoreg.agent.attach;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Java 21+ warns on the target's stderr when an agent is loaded dynamically (JEP 451): attach says so. */
class DynamicLoadingNoteTest {

    @Test
    void java21AndLaterWarnUnlessStartedWithEnableDynamicAgentLoading() {
        String note = AttachMain.dynamicLoadingNote("25", "-Xmx256m");
        assertTrue(note.contains("Java 25") && note.contains("-XX:+EnableDynamicAgentLoading"), note);
        assertTrue(AttachMain.dynamicLoadingNote("21", null).contains("JEP 451"));
        assertNull(AttachMain.dynamicLoadingNote("25", "-Xmx256m -XX:+EnableDynamicAgentLoading"));
    }

    @Test
    void olderJavaPrintsNothing() {
        assertNull(AttachMain.dynamicLoadingNote("17", null));
        assertNull(AttachMain.dynamicLoadingNote("1.8", null));
        assertNull(AttachMain.dynamicLoadingNote(null, null));
    }
}
