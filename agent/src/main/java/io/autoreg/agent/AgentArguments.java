package io.autoreg.agent;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The agent argument string {@code key=value,key2=value2} (keys relative to {@code autoreg.}), as
 * given after {@code -javaagent:autoreg-agent.jar=} or to {@code attach}. {@code config=FILE} names the
 * config file. A value may contain {@code =}; a comma separates pairs except inside brackets or braces, which is
 * how a list or a map is written: {@code service.tags=[a,b],agent.ports.include=[8080,8443]},
 * {@code service.metadata=[team=core,tier=1]} (or {@code {team=core,tier=1}}).
 *
 * <p>An item without {@code =} (typically {@code b} of {@code service.tags=a,b}) is kept with a null value,
 * so that reading the settings fails on it with its name rather than taking it for a key of its own.
 */
record AgentArguments(Map<String, String> overrides) {

    AgentArguments {
        overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
    }

    static AgentArguments parse(String raw) {
        Map<String, String> pairs = new LinkedHashMap<>();
        if (raw != null) {
            int depth = 0;
            int start = 0;
            for (int i = 0; i <= raw.length(); i++) {
                char c = i < raw.length() ? raw.charAt(i) : ',';
                if (c == '[' || c == '{') {
                    depth++;
                } else if ((c == ']' || c == '}') && depth > 0) {
                    depth--;
                } else if (c == ',' && (depth == 0 || i == raw.length())) {
                    put(pairs, raw.substring(start, i));
                    start = i + 1;
                }
            }
        }
        return new AgentArguments(pairs);
    }

    private static void put(Map<String, String> pairs, String part) {
        String item = part.trim();
        if (item.isEmpty()) {
            return;
        }
        int eq = item.indexOf('=');
        String key = eq < 0 ? item : item.substring(0, eq).trim();
        String value = eq < 0 ? null : item.substring(eq + 1).trim();
        if (key.startsWith("autoreg.")) {
            key = key.substring("autoreg.".length());
        }
        pairs.put(key, value);
    }

    String get(String key) {
        return overrides.get(key);
    }
}
