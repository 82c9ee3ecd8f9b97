package io.autoreg.sidecar.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.registry.configuration.ConfigurationIds;
import io.autoreg.registry.http.ApiError;
import io.autoreg.sidecar.cli.UsageException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CLI's check of configuration ids before it asks the registry: it must refuse exactly what the registry refuses
 * (the registry's own parser is the judge here), and say which part is at fault.
 */
class ConfigurationIdRuleTest {

    private static final List<String> IDS = List.of(
            "cassandra_listen_ip",
            "/production/cassandra/listen_ip",
            "production/cassandra/listen_ip",
            "//production/cassandra/listen_ip",
            "abc",
            "ab",
            "k.e.y",
            "/a-b/key",
            "/ab/key",
            "/a.b/key",
            "/abc/ke",
            "/abc/",
            "/",
            "",
            "/abc//key",
            "key with space",
            "/prod/clé",
            "/" + "s".repeat(50) + "/key",
            "/" + "s".repeat(51) + "/key",
            "k".repeat(170),
            "k".repeat(171),
            "/s01/s02/s03/s04/s05/s06/s07/s08/s09/s10/key",
            "/s01/s02/s03/s04/s05/s06/s07/s08/s09/s10/s11/key",
            // 10 segments of 50 and a key: longer than 500 characters as a whole
            "/" + ("s".repeat(50) + "/").repeat(9) + "k".repeat(50));

    @Test
    void refusesExactlyWhatTheRegistryRefuses() {
        for (String id : IDS) {
            boolean registry = registryTakesAsId(id);
            boolean cli = cliTakes(id);
            assertEquals(registry, cli, "'" + id + "': the registry " + (registry ? "takes" : "refuses") + " it");
        }
    }

    @Test
    void theErrorNamesThePartAtFaultAndTheRule() {
        String message = assertThrows(UsageException.class, () -> ConfigurationIdRule.checkId("/prod/ab"))
                .getMessage();
        assertTrue(
                message.startsWith(
                        "configuration id '/prod/ab': key 'ab' is 2 characters, fewer than 3; an id is a key"),
                message);
        assertTrue(message.contains("3-170 letters, digits, '_', '.' or '-'"), message);
        assertTrue(assertThrows(UsageException.class, () -> ConfigurationIdRule.checkId("/p.d/key"))
                .getMessage()
                .startsWith("configuration id '/p.d/key': namespace segment 'p.d' has '.' at 2, not a letter, digit,"
                        + " '_' or '-' ('.' only in the key);"));
        assertTrue(assertThrows(UsageException.class, () -> ConfigurationIdRule.checkId("/prod//key"))
                .getMessage()
                .startsWith("configuration id '/prod//key': namespace segment '' is empty (two slashes in a row?);"));
        assertTrue(assertThrows(UsageException.class, () -> ConfigurationIdRule.checkId("/prod/listen ip"))
                .getMessage()
                .startsWith("configuration id '/prod/listen ip': key 'listen ip' has a space at 7, not a letter,"
                        + " digit, '_', '.' or '-';"));
        assertTrue(assertThrows(UsageException.class, () -> ConfigurationIdRule.checkId("/" + "s".repeat(51) + "/key"))
                .getMessage()
                .contains("namespace segment '" + "s".repeat(51) + "' is 51 characters, more than 50;"));
        assertTrue(assertThrows(UsageException.class, () -> ConfigurationIdRule.checkId("/prod/"))
                .getMessage()
                .startsWith("configuration id '/prod/': it has no key after its namespace;"));
        assertTrue(assertThrows(UsageException.class, () -> ConfigurationIdRule.checkNamespace("/production/ab"))
                .getMessage()
                .startsWith("--namespace /production/ab: segment 'ab' is 2 characters, fewer than 3;"));
        assertEquals(
                "a configuration value is 1-1024 characters, this one 1025",
                assertThrows(UsageException.class, () -> ConfigurationIdRule.checkValue("v".repeat(1025)))
                        .getMessage());
        ConfigurationIdRule.checkValue("v");
        ConfigurationIdRule.checkValue("v".repeat(1024));
    }

    private static boolean registryTakesAsId(String id) {
        try {
            return ConfigurationIds.parse(id).id() != null;
        } catch (ApiError e) {
            return false;
        }
    }

    private static boolean cliTakes(String id) {
        try {
            ConfigurationIdRule.checkId(id);
            return true;
        } catch (UsageException e) {
            return false;
        }
    }
}
