package io.autoreg.deploy.docs;

import io.autoreg.core.internal.settings.Setting;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's declarations ({@code AgentSettings.SCHEMA}) as this module's {@link Setting}s. Read by
 * reflection on purpose: in a reactor {@code verify} the agent on this classpath is its packaged jar, in which
 * the core is relocated under {@code io.autoreg.agent.shaded} (so that a host's own autoreg-core cannot
 * collide with it), and its {@code Setting} is then another class than the one this module compiles against.
 * The copy is rebuilt through the same factories, so it carries every field of the original.
 */
final class AgentSchema {

    static final String CLASS = "io.autoreg.agent.register.AgentSettings";
    static final String RESOURCE = "io/autoreg/agent/agent-defaults.conf";

    private AgentSchema() {}

    static List<Setting> settings() {
        try {
            Object schema = Class.forName(CLASS).getField("SCHEMA").get(null);
            List<Setting> out = new ArrayList<>();
            for (Object declared : (List<?>) schema) {
                out.add(copy(declared));
            }
            return List.copyOf(out);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(CLASS + ".SCHEMA cannot be read", e);
        }
    }

    @SuppressWarnings("unchecked")
    static Setting copy(Object declared) throws ReflectiveOperationException {
        String key = (String) get(declared, "key");
        String type = ((Enum<?>) get(declared, "type")).name();
        String defaultValue = (String) get(declared, "defaultValue");
        Setting copy = switch (type) {
            case "BOOLEAN" -> Setting.bool(key, Boolean.parseBoolean(defaultValue));
            case "STRING" -> Setting.string(key, defaultValue);
            case "ONE_OF" ->
                Setting.oneOf(key, defaultValue, ((List<String>) get(declared, "allowed")).toArray(new String[0]));
            case "DURATION" ->
                Setting.duration(key, defaultValue, (Duration) get(declared, "min"), (Duration) get(declared, "max"));
            case "LIST" -> Setting.list(key);
            case "MAP" -> Setting.map(key);
            case "INT" ->
                Setting.integer(
                        key,
                        defaultValue == null ? null : Integer.valueOf(defaultValue),
                        (long) get(declared, "lowest"),
                        (long) get(declared, "highest"));
            case "SIZE" -> Setting.size(key, defaultValue);
            case "OBJECTS" -> Setting.objects(key);
            default -> throw new IllegalStateException("a type the reference does not know: " + type);
        };
        List<String> envNames = (List<String>) get(declared, "envNames");
        if (envNames.isEmpty()) {
            copy = copy.notFromEnvironment();
        } else {
            for (String name : envNames.subList(copy.envNames().size(), envNames.size())) {
                copy = copy.alsoFromEnvironment(name);
            }
        }
        if (!copy.envNames().equals(envNames)) {
            throw new IllegalStateException(key + ": environment variables " + envNames + " cannot be copied");
        }
        return copy.described((String) get(declared, "description"));
    }

    private static Object get(Object target, String accessor) throws ReflectiveOperationException {
        Method method = target.getClass().getMethod(accessor);
        return method.invoke(target);
    }
}
