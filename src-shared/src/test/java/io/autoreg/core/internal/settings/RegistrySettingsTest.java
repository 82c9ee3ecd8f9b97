package io.autoreg.core.internal.settings;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistrySettingsTest {

    private static RegistrySettings withSecrets() {
        return new RegistrySettings(
                "consul",
                "http://ops:url-pa55@127.0.0.1:8500/",
                "s3cret-token",
                "alice",
                "s3cret-key",
                "http://127.0.0.1:8870/v2.0/tokens",
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                new RegistrySettings.TlsSettings(null, null, null),
                Map.of("acl-token", "s3cret-option", "datacenter", "dc1"));
    }

    @Test
    void toStringNeverShowsTheTokenTheApiKeyOrAPassword() {
        String shown = withSecrets().toString();
        assertFalse(shown.contains("s3cret"), shown);
        assertFalse(shown.contains("url-pa55"), shown);
        assertTrue(shown.contains("token=██") && shown.contains("apiKey=██"), shown);
        assertTrue(shown.contains("http://ops:██@127.0.0.1:8500/"), shown);
    }

    @Test
    void toStringStillShowsWhatHelpsToDebug() {
        String shown = withSecrets().toString();
        for (String visible : new String[] {
            "type=consul",
            "username=alice",
            "datacenter=dc1",
            "authUrl=http://127.0.0.1:8870/v2.0/tokens",
            "connectTimeout=PT2S"
        }) {
            assertTrue(shown.contains(visible), visible + " in " + shown);
        }
        assertTrue(
                new RegistrySettings(
                                "service-registry",
                                "http://127.0.0.1:1/v1.0/x",
                                null,
                                null,
                                null,
                                null,
                                Duration.ofSeconds(1),
                                Duration.ofSeconds(1),
                                new RegistrySettings.TlsSettings(null, null, null),
                                Map.of())
                        .toString()
                        .contains("token=null"),
                "an absent secret reads null, not redacted");
    }
}
