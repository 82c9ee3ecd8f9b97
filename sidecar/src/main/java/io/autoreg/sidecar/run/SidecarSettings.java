package io.autoreg.sidecar.run;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import io.autoreg.core.internal.lifecycle.RegistryBackend;
import io.autoreg.core.internal.settings.AutoregSettings;
import io.autoreg.core.internal.settings.SettingsException;
import io.autoreg.core.internal.settings.SettingsReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code autoreg.sidecar.*}, read once and validated eagerly: the sidecar's own HTTP endpoint, its
 * shutdown bounds, and the neighbours it watches (the single {@code check} when its port is set, plus
 * every entry of {@code checks}).
 */
record SidecarSettings(
        int httpPort, String httpAddress, Duration drain, Duration deregisterTimeout, List<CheckSettings> checks) {

    static final String DEFAULTS_RESOURCE = "io/autoreg/sidecar/sidecar-defaults.conf";
    private static final String PREFIX = "autoreg.sidecar";

    SidecarSettings {
        checks = List.copyOf(checks);
    }

    static SidecarSettings from(AutoregSettings settings) {
        Config config = settings.config();
        SettingsReader reader = new SettingsReader(config);
        String defaultName = settings.service().name() == null
                ? "neighbour"
                : settings.service().name();
        Config single = config.getConfig(PREFIX + ".check");
        List<CheckSettings> checks = new ArrayList<>();
        if (single.hasPath("port")) {
            checks.add(CheckSettings.read(single, single, PREFIX + ".check", defaultName));
        }
        Config inherited = ConfigFactory.empty();
        for (String key : CheckSettings.INHERITED) {
            if (single.hasPath(key)) {
                inherited = inherited.withValue(key, single.getValue(key));
            }
        }
        List<? extends ConfigValue> entries = listOrFail(config, reader);
        for (int i = 0; i < entries.size(); i++) {
            String prefix = PREFIX + ".checks." + i;
            ConfigValue entry = entries.get(i);
            if (!(entry instanceof ConfigObject)) {
                throw new SettingsException(
                        prefix,
                        SettingsReader.origin(entry.origin()),
                        entry.render(),
                        "each check is an object such as { name = orders, port = 8081 }");
            }
            Config own = ((ConfigObject) entry).toConfig();
            checks.add(CheckSettings.read(own.withFallback(inherited), own, prefix, defaultName));
        }
        return new SidecarSettings(
                reader.intIn(SidecarSchema.HTTP_PORT.path(), (int) SidecarSchema.HTTP_PORT.lowest(), (int)
                        SidecarSchema.HTTP_PORT.highest()),
                reader.string(SidecarSchema.HTTP_ADDRESS.path()),
                reader.duration(SidecarSchema.DRAIN),
                reader.duration(SidecarSchema.DEREGISTER_TIMEOUT),
                checks);
    }

    /**
     * How long a neighbour that failed its checks is kept out of service before it is deleted: the
     * {@code drain} where the backend can mark an entry out of service, else zero (deleted at once).
     */
    Duration drainFor(RegistryBackend backend) {
        return !drain.isZero() && backend.supportsDrain() ? drain : Duration.ZERO;
    }

    private static List<? extends ConfigValue> listOrFail(Config config, SettingsReader reader) {
        try {
            return config.getList(PREFIX + ".checks");
        } catch (ConfigException e) {
            throw reader.bad(PREFIX + ".checks", "a list of check objects");
        }
    }
}
