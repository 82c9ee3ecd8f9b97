package io.autoreg.agent.lite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.agent.register.AgentSettings;
import io.autoreg.core.internal.settings.Setting;
import io.autoreg.core.internal.settings.SettingsSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LiteEnvironmentTest {

    private static byte[] block(String... entries) {
        return (String.join("\0", entries) + "\0").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void keepsOnlyTheAgentsVariablesSplitAtTheFirstEquals() {
        Map<String, String> read = LiteEnvironment.parse(
                block(
                        "PATH=/usr/bin",
                        "AUTOREG_SERVICE_NAME=orders",
                        "POD_IP=10.0.0.5",
                        "POD_IPS=x",
                        "AUTOREG_TAGS=a=b,c",
                        "AUTOREG_EMPTY=",
                        "XAUTOREG_X=1"),
                true,
                name -> "unexpected");
        assertEquals(
                Map.of(
                        "AUTOREG_SERVICE_NAME",
                        "orders",
                        "POD_IP",
                        "10.0.0.5",
                        "AUTOREG_TAGS",
                        "a=b,c",
                        "AUTOREG_EMPTY",
                        ""),
                read);
    }

    @Test
    void readsLikeTheJdkEntriesWithoutANameAndRepeatedNames() {
        // the JDK skips an entry with no '=' or with '=' first, and a later entry of a name replaces an earlier one
        Map<String, String> read = LiteEnvironment.parse(
                block("AUTOREG_A=1", "=AUTOREG_B=2", "AUTOREG_C", "AUTOREG_A=3"), true, name -> "unexpected");
        assertEquals(Map.of("AUTOREG_A", "3"), read);
    }

    @Test
    void aValueThatIsNotAsciiIsTheJdksDecoding() {
        Map<String, String> read = LiteEnvironment.parse(
                block("AUTOREG_SERVICE_NAME=bücher", "AUTOREG_X=ok"), true, name -> "jdk:" + name);
        assertEquals(Map.of("AUTOREG_SERVICE_NAME", "jdk:AUTOREG_SERVICE_NAME", "AUTOREG_X", "ok"), read);
    }

    @Test
    void thisProcesssEnvironmentReadsAsTheJdkReadsIt() throws IOException {
        Path environ = Path.of("/proc/self/environ");
        Map<String, String> jdk = System.getenv();
        Map<String, String> read = LiteEnvironment.parse(Files.readAllBytes(environ), false, System::getenv);
        assertEquals(jdk, read);
        Map<String, String> wanted = jdk.entrySet().stream()
                .filter(e -> e.getKey().startsWith("AUTOREG_") || e.getKey().equals("POD_IP"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertEquals(wanted, LiteEnvironment.variables());
    }

    @Test
    void everyVariableTheAgentReadsIsOneItKeeps() {
        List<String> names = new ArrayList<>(List.of("AUTOREG_ENABLED", "AUTOREG_CONFIG", "POD_IP"));
        for (List<Setting> schema : List.of(SettingsSchema.COMMON, AgentSettings.SCHEMA)) {
            for (Setting setting : schema) {
                names.addAll(setting.envNames());
            }
        }
        assertTrue(names.size() > 20, "the schemas were read: " + names);
        StringBuilder environ = new StringBuilder();
        for (String name : names) {
            environ.append(name).append("=v\0");
        }
        Map<String, String> read =
                LiteEnvironment.parse(environ.toString().getBytes(StandardCharsets.US_ASCII), true, name -> null);
        assertEquals(
                names.stream().distinct().sorted().toList(),
                read.keySet().stream().sorted().toList());
    }
}
