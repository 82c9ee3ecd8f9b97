package io.autoreg.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code AUTOREG_*} environment variables autoreg reads, from the built-in defaults that declare them. */
final class AutoregKeys {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{\\?(AUTOREG_[A-Z0-9_]+)}");

    private AutoregKeys() {
    }

    static Set<String> environmentVariables() {
        Set<String> names = new TreeSet<>();
        for (String defaults : new String[] {
                "src-shared/src/main/resources/io/autoreg/core/internal/settings/autoreg-defaults.conf",
                "agent/src/main/resources/io/autoreg/agent/agent-defaults.conf",
                "sidecar/src/main/resources/io/autoreg/sidecar/sidecar-defaults.conf"}) {
            try {
                Matcher m = VARIABLE.matcher(Files.readString(Manifests.root().resolve(defaults)));
                while (m.find()) {
                    names.add(m.group(1));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        // the config file's own location, read before any file is (SettingsLoader)
        names.add("AUTOREG_CONFIG");
        return names;
    }
}
