package io.autoreg.core.internal.settings;

import io.autoreg.core.internal.log.Log;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code AUTOREG_*} environment variables that no setting reads. A misspelt one ({@code AUTOREG_REGISTRY_URLL})
 * was ignored without a word and the default used in its place — in a pod, where variables are the usual way to
 * configure the agent, a registration that goes to the wrong registry and says nothing of why.
 *
 * <p>Warned about, not refused as an unknown key in a file or a {@code -D} is: the environment is shared by every
 * process of a pod or a shell, and may hold variables of another autoreg version or another of its front ends. So the
 * other front ends' sections ({@link SettingsSchema#FRONT_END_SECTIONS}) pass unread, as they do in a file, and so do
 * the few {@code AUTOREG_*} variables that are not settings.
 */
public final class UnknownVariables {

    private static final String PREFIX = "AUTOREG_";
    /**
     * The {@code AUTOREG_*} variables that are not settings: the config files' paths (the front ends', the registry's),
     * what the sidecar gives its exec health checks, and the overrides of the project's scripts (image build, podman);
     * a test in deploy holds every variable the repository's scripts, examples and code use to a setting or this list.
     */
    public static final Set<String> NOT_SETTINGS = Set.of(
            "AUTOREG_CONFIG",
            "AUTOREG_SERVER_CONFIG",
            "AUTOREG_CHECK_HOST",
            "AUTOREG_CHECK_PORT",
            "AUTOREG_IMAGE_CACHE",
            "AUTOREG_IMAGE_JDK",
            "AUTOREG_PODMAN_RUNTIME");

    private UnknownVariables() {}

    /**
     * For a front end that registers (the agent, the sidecar), once its settings, and so the log level, are read: one
     * warning line ({@link Log#warn}) per {@code AUTOREG_*} name that neither the common settings nor {@code own} read.
     *
     * @param section the front end's own section ({@code agent}, {@code sidecar}), or null when it reads none (the
     *                sidecar's registry commands): every front end's section then passes
     * @param own     that section's settings
     */
    public static void warnOf(Collection<String> names, String section, List<Setting> own) {
        if (!anyOurs(names)) {
            return; // the usual case: no class beyond this one loaded, no set built
        }
        List<Setting> settings = new ArrayList<>(SettingsSchema.COMMON);
        settings.addAll(own);
        for (String warning : warnings(names, settings, section)) {
            Log.warn(warning);
        }
    }

    /** Whether any of these names is an {@code AUTOREG_*} variable at all (the usual answer is no: nothing to check). */
    static boolean anyOurs(Collection<String> names) {
        for (String name : names) {
            if (name.startsWith(PREFIX)) {
                return true;
            }
        }
        return false;
    }

    /**
     * One warning per {@code AUTOREG_*} name that none of {@code settings} reads, with the nearest variable that one
     * does when it is near enough to be a typo of it; sorted by name.
     *
     * @param ownSection the reader's section among {@link SettingsSchema#FRONT_END_SECTIONS} ({@code agent},
     *                   {@code sidecar}): its variables are among {@code settings}, the other sections' pass
     */
    public static List<String> warnings(Collection<String> names, Collection<Setting> settings, String ownSection) {
        Set<String> known = new HashSet<>();
        for (Setting setting : settings) {
            known.addAll(setting.envNames());
        }
        List<String> othersPrefixes = new ArrayList<>();
        for (String section : SettingsSchema.FRONT_END_SECTIONS) {
            if (!section.equals(ownSection)) {
                othersPrefixes.add(PREFIX + section.toUpperCase(Locale.ROOT) + "_");
            }
        }
        List<String> warnings = new ArrayList<>();
        for (String name : new TreeSet<>(names)) {
            if (!name.startsWith(PREFIX)
                    || known.contains(name)
                    || NOT_SETTINGS.contains(name)
                    || startsWithAny(name, othersPrefixes)) {
                continue;
            }
            String nearest = NearestName.among(name, known, 3);
            warnings.add("environment variable " + name + " is not a setting of autoreg's and is ignored"
                    + (nearest == null ? "" : " (did you mean " + nearest + "?)"));
        }
        return warnings;
    }

    private static boolean startsWithAny(String name, List<String> prefixes) {
        for (String prefix : prefixes) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
