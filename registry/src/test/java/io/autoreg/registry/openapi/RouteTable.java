package io.autoreg.registry.openapi;

import io.autoreg.registry.RegistryServer;
import io.autoreg.registry.http.ApiHandler;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The route table of a running server, read from the {@link ApiHandler} it serves with: the tenant resources under
 * {@code /v1.0/{tenant}/} and the exact plain paths. Read by reflection so that the test needs no accessor in the
 * server and cannot drift from what the server really routes: the handler is found by walking the server's object
 * graph (through Undertow's handler chain), the maps by their declared names.
 */
record RouteTable(Set<String> tenantResources, Set<String> plainPaths) {

    static RouteTable of(RegistryServer server) {
        ApiHandler handler = find(server);
        return new RouteTable(keys(handler, "tenantResources"), keys(handler, "plainPaths"));
    }

    private static Set<String> keys(ApiHandler handler, String fieldName) {
        try {
            Field field = ApiHandler.class.getDeclaredField(fieldName);
            field.setAccessible(true);
            return Set.copyOf(((Map<?, ?>) field.get(handler))
                    .keySet().stream().map(String::valueOf).toList());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("ApiHandler has no route map '" + fieldName + "'; update RouteTable", e);
        }
    }

    /** Breadth-first through fields of autoreg and Undertow objects only (no JDK internals), each object once. */
    private static ApiHandler find(Object root) {
        Deque<Object> queue = new ArrayDeque<>();
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        queue.add(root);
        while (!queue.isEmpty()) {
            Object next = queue.poll();
            if (next instanceof ApiHandler handler) {
                return handler;
            }
            if (!seen.add(next)) {
                continue;
            }
            for (Class<?> c = next.getClass(); c != null && followed(c); c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    if (Modifier.isStatic(field.getModifiers())
                            || field.getType().isPrimitive()) {
                        continue;
                    }
                    try {
                        field.setAccessible(true);
                        Object value = field.get(next);
                        if (value != null && followed(value.getClass())) {
                            queue.add(value);
                        }
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        // A field we may not open leads nowhere we need.
                    }
                }
            }
        }
        throw new AssertionError("no ApiHandler reachable from the running server; update RouteTable");
    }

    private static boolean followed(Class<?> c) {
        String name = c.getName();
        return name.startsWith("io.autoreg.") || name.startsWith("io.undertow.");
    }
}
