package io.autoreg.deploy;

import io.autoreg.core.internal.settings.Setting;
import io.autoreg.deploy.docs.SettingsReference;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code AUTOREG_*} environment variables autoreg reads: those the settings schema declares (the same
 * declarations docs/settings.md is generated from), the config file's location included.
 */
final class AutoregKeys {

    private AutoregKeys() {}

    static Set<String> environmentVariables() {
        Set<String> names = new TreeSet<>();
        for (SettingsReference.Section section : SettingsReference.sections()) {
            for (Setting setting : section.settings()) {
                names.addAll(setting.envNames());
            }
        }
        return names;
    }
}
