package io.autoreg.sidecar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FlagOverridesTest {

    @Test
    void eachOverrideIsNamedByTheFlagThatSetItAndAbsentFlagsSetNothing() {
        FlagOverrides overrides = new FlagOverrides()
                .put("sidecar.check.port", "8081", "--port")
                .put("registry.token", null, "--token")
                .set("sidecar.drain", "5s");
        assertEquals(Map.of("sidecar.check.port", "8081", "sidecar.drain", "5s"), overrides.values());
        assertEquals("command-line flag --port", overrides.origin("sidecar.check.port"));
        assertEquals("command-line flag autoreg.sidecar.drain", overrides.origin("sidecar.drain"));
    }

    @Test
    void aFlagAfterSetOnTheSameKeyNamesTheFlag() {
        FlagOverrides overrides =
                new FlagOverrides().set("sidecar.check.port", "1").put("sidecar.check.port", "2", "--port");
        assertEquals(Map.of("sidecar.check.port", "2"), overrides.values());
        assertEquals("command-line flag --port", overrides.origin("sidecar.check.port"));
    }
}
