package io.autoreg.core.internal.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The check that a settings section holds no key its defaults do not declare: a misspelt key (or section, such as
 * {@code heartbeet.timeout}) would otherwise be read as nothing at all and its default silently used. Shared by the
 * front ends' settings ({@code autoreg.*}) and the registry's ({@code autoreg.server.*}).
 */
public final class UnknownKeys {

    private UnknownKeys() {}

    /**
     * Fails on the first key under {@code section} in {@code merged} that {@code defaults} does not declare, at every
     * level, naming it, where it came from and the nearest declared key. A default {@code {}} is a free-form map: any
     * key under it is declared.
     *
     * @param passUnread subsections directly under {@code section} that belong to another reader: not looked at
     *                   unless the defaults declare them
     */
    public static void reject(Config merged, Config defaults, String section, Collection<String> passUnread) {
        if (!merged.hasPath(section) || !defaults.hasPath(section)) {
            return;
        }
        ConfigObject known = defaults.getObject(section);
        List<String> knownKeys = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> e : leaves(known, section, true)) {
            knownKeys.add(e.getKey());
        }
        int depth = ConfigUtil.splitPath(section).size();
        for (Map.Entry<String, ConfigValue> e : leaves(merged.getObject(section), section, true)) {
            String key = e.getKey();
            List<String> path = ConfigUtil.splitPath(key);
            List<String> relative = path.subList(depth, path.size());
            boolean someoneElses =
                    !relative.isEmpty() && known.get(relative.get(0)) == null && passUnread.contains(relative.get(0));
            if (someoneElses) {
                continue;
            }
            ConfigValue declared = declaredAt(relative, known);
            if (isSection(declared) && e.getValue().valueType() != ConfigValueType.NULL) {
                // registry=http://… in place of registry.url=…: the value would replace the whole section, and the
                // error would otherwise name whichever of its keys is checked first ("registry.type not set")
                throw new SettingsReader(merged)
                        .bad(key, "a section, not a value: set its keys (" + ownKeys(key, declared) + ")");
            }
            if (declared != null) {
                continue;
            }
            int list = declaredListAbove(relative, known);
            if (list > 0) {
                // checks = { name = a } for checks = [ { name = a } ]: not a key unknown inside it, a list written as
                // an object
                String listKey = section + "." + ConfigUtil.joinPath(relative.subList(0, list));
                throw new SettingsReader(merged)
                        .bad(listKey, "expected a list, written in brackets [ ... ], not an object");
            }
            String suggestion = NearestName.among(key, knownKeys, 3);
            throw new SettingsReader(merged)
                    .bad(key, "unknown key" + (suggestion == null ? "" : " (did you mean " + suggestion + "?)"));
        }
    }

    /**
     * What declares this path: the default at it, or the default {@code {}} (a free-form map) it lies under; null when
     * nothing does.
     */
    private static ConfigValue declaredAt(List<String> relative, ConfigObject known) {
        ConfigValue current = known;
        for (int i = 0; i < relative.size(); i++) {
            if (!(current instanceof ConfigObject object)) {
                return null;
            }
            if (object.isEmpty() && i > 0) {
                return object;
            }
            current = object.get(relative.get(i));
            if (current == null) {
                return null;
            }
        }
        return current;
    }

    /** How many leading elements of {@code relative} name a default that is a list; 0 when none does. */
    private static int declaredListAbove(List<String> relative, ConfigObject known) {
        ConfigValue current = known;
        for (int i = 0; i < relative.size(); i++) {
            if (!(current instanceof ConfigObject object) || (current = object.get(relative.get(i))) == null) {
                return 0;
            }
            if (current.valueType() == ConfigValueType.LIST) {
                return i + 1;
            }
        }
        return 0;
    }

    /** A section: a default object with keys of its own (an empty default {@code {}} is a free-form map). */
    private static boolean isSection(ConfigValue declared) {
        return declared instanceof ConfigObject && !((ConfigObject) declared).isEmpty();
    }

    /** The section's own values (not its subsections or maps), sorted: what a value set on the section was meant for. */
    private static String ownKeys(String section, ConfigValue declared) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, ConfigValue> e : new TreeMap<>((ConfigObject) declared).entrySet()) {
            if (!(e.getValue() instanceof ConfigObject)) {
                out.append(out.length() == 0 ? "" : ", ")
                        .append(section)
                        .append('.')
                        .append(ConfigUtil.joinPath(e.getKey()));
            }
        }
        return out.length() == 0 ? "those inside it" : out.toString();
    }

    /**
     * Every leaf under {@code object} as a full key ({@code prefix.a.b}, elements quoted where they must be) and its
     * value, sorted; an empty object is a leaf of its own, and null values are leaves when {@code nulls}.
     */
    static List<Map.Entry<String, ConfigValue>> leaves(ConfigObject object, String prefix, boolean nulls) {
        List<Map.Entry<String, ConfigValue>> out = new ArrayList<>();
        collect(object, prefix, out, nulls);
        return out;
    }

    private static void collect(
            ConfigObject object, String prefix, List<Map.Entry<String, ConfigValue>> out, boolean nulls) {
        Map<String, ConfigValue> sorted = new TreeMap<>(object);
        if (sorted.isEmpty() && !prefix.isEmpty()) {
            out.add(Map.entry(prefix, object));
        }
        for (Map.Entry<String, ConfigValue> e : sorted.entrySet()) {
            String key =
                    prefix.isEmpty() ? ConfigUtil.joinPath(e.getKey()) : prefix + "." + ConfigUtil.joinPath(e.getKey());
            ConfigValue v = e.getValue();
            if (v.valueType() == ConfigValueType.OBJECT) {
                collect((ConfigObject) v, key, out, nulls);
            } else if (v.valueType() != ConfigValueType.NULL || nulls) {
                out.add(Map.entry(key, v));
            }
        }
    }
}
