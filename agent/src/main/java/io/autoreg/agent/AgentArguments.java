package io.autoreg.agent;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The agent argument string {@code key=value,key2=value2} (keys relative to {@code autoreg.}), as
 * given after {@code -javaagent:autoreg-agent.jar=} or to {@code attach}. {@code config=FILE} names the
 * config file. A value may contain {@code =}; a comma always separates pairs.
 */
record AgentArguments(Map<String, String> overrides) {

    AgentArguments {
        overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
    }

    static AgentArguments parse(String raw) {
        Map<String, String> pairs = new LinkedHashMap<>();
        if (raw != null) {
            for (String part : raw.split(",")) {
                String item = part.trim();
                if (item.isEmpty()) {
                    continue;
                }
                int eq = item.indexOf('=');
                String key = eq < 0 ? item : item.substring(0, eq).trim();
                String value = eq < 0 ? "true" : item.substring(eq + 1).trim();
                if (key.startsWith("autoreg.")) {
                    key = key.substring("autoreg.".length());
                }
                pairs.put(key, value);
            }
        }
        return new AgentArguments(pairs);
    }

    String get(String key) {
        return overrides.get(key);
    }
}
