package io.autoreg.core.internal.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class UnknownVariablesTest {

    private static final Setting OWN = Setting.string("sidecar.check.port", null);

    @Test
    void aMisspeltVariableIsNamedWithTheNearestOneASettingReads() {
        assertEquals(
                List.of("environment variable AUTOREG_REGISTRY_URLL is not a setting of autoreg's and is ignored"
                        + " (did you mean AUTOREG_REGISTRY_URL?)"),
                UnknownVariables.warnings(List.of("AUTOREG_REGISTRY_URLL", "PATH"), SettingsSchema.COMMON, "agent"));
    }

    @Test
    void oneFarFromEverySettingIsNamedWithoutAGuess() {
        assertEquals(
                List.of("environment variable AUTOREG_SOMETHING_ELSE is not a setting of autoreg's and is ignored"),
                UnknownVariables.warnings(List.of("AUTOREG_SOMETHING_ELSE"), SettingsSchema.COMMON, "agent"));
    }

    @Test
    void settingsTheirAliasesAndTheVariablesThatAreNotSettingsPass() {
        assertEquals(
                List.of(),
                UnknownVariables.warnings(
                        List.of(
                                "AUTOREG_REGISTRY_URL",
                                "AUTOREG_TOKEN", // registry.token's older name
                                "AUTOREG_CONFIG",
                                "AUTOREG_CHECK_HOST",
                                "AUTOREG_CHECK_PORT",
                                "AUTOREG_IMAGE_CACHE",
                                "HOME",
                                "autoreg_registry_url"),
                        SettingsSchema.COMMON,
                        "agent"));
    }

    @Test
    void theOtherFrontEndsSectionsPassAndTheReadersOwnIsChecked() {
        List<Setting> sidecar = List.of(SettingsSchema.ENABLED, OWN);
        assertEquals(
                List.of("environment variable AUTOREG_SIDECAR_CHECK_PROT is not a setting of autoreg's and is ignored"
                        + " (did you mean AUTOREG_SIDECAR_CHECK_PORT?)"),
                UnknownVariables.warnings(
                        List.of(
                                "AUTOREG_SIDECAR_CHECK_PORT",
                                "AUTOREG_SIDECAR_CHECK_PROT",
                                "AUTOREG_AGENT_MODE",
                                "AUTOREG_SERVER_PORT"),
                        sidecar,
                        "sidecar"));
        // a reader with no section of its own (the sidecar's registry commands) lets every section pass
        assertEquals(
                List.of(),
                UnknownVariables.warnings(List.of("AUTOREG_SIDECAR_CHECK_PROT", "AUTOREG_AGENT_MODEE"), sidecar, null));
    }

    @Test
    void warningsComeSortedByName() {
        List<String> warnings =
                UnknownVariables.warnings(List.of("AUTOREG_ZZZ", "AUTOREG_AAA"), SettingsSchema.COMMON, "agent");
        assertEquals(2, warnings.size());
        assertTrue(
                warnings.get(0).contains("AUTOREG_AAA") && warnings.get(1).contains("AUTOREG_ZZZ"),
                warnings.toString());
    }

    @Test
    void onlyAutoregVariablesAreLookedAtAtAll() {
        assertFalse(UnknownVariables.anyOurs(List.of("PATH", "HOME", "POD_IP", "autoreg_x")));
        assertTrue(UnknownVariables.anyOurs(List.of("PATH", "AUTOREG_X")));
    }
}
