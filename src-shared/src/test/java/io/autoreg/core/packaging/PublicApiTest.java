package io.autoreg.core.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.core.client.ServiceRegistryClient;
import io.autoreg.core.internal.lifecycle.Backoff;
import io.autoreg.core.internal.lifecycle.RefusedException;
import io.autoreg.core.internal.lifecycle.RegistrationState;
import io.autoreg.core.internal.lifecycle.RegistryBackend;
import io.autoreg.core.internal.settings.RegistrySettings;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The client API's signatures mention no internal type (docs/architecture.md, "Public API and internal
 * packages"): {@link PackageStructureTest} lets the client's <em>code</em> use a few internal packages, but
 * what a user can see — the public and protected members of the public types of {@code io.autoreg.core.client}
 * and {@code client.model}, their parameter, return, field, generic and thrown types, super types and type
 * bounds — must stay in the API, as OkHttp keeps {@code okhttp3.internal} out of {@code okhttp3}'s signatures.
 * A leak would make a user's code compile against a package that changes without notice.
 *
 * <p>Reads the compiled classes, so it sees what javac made of the source (record accessors, enum
 * methods, bridge methods, nested types) rather than what a regex makes of it.
 */
class PublicApiTest {

    private static final String INTERNAL = "io.autoreg.core.internal.";
    private static final List<String> API = List.of("io.autoreg.core.client", "io.autoreg.core.client.model");

    @Test
    void noPublicSignatureOfTheClientApiMentionsAnInternalType() throws Exception {
        List<Class<?>> types = new ArrayList<>();
        for (String pkg : API) {
            types.addAll(compiledTypes(pkg));
        }
        assertTrue(types.size() > 20, "found the client API's compiled classes: " + types);
        Set<String> leaks = new TreeSet<>();
        for (Class<?> type : types) {
            if (exposed(type)) {
                leaks.addAll(leaks(type));
            }
        }
        System.out.printf(
                "client API: %d exposed types checked, %d leaks%n",
                types.stream().filter(PublicApiTest::exposed).count(), leaks.size());
        assertEquals(List.of(), List.copyOf(leaks), "public client API members that mention internal types");
    }

    /** The checker itself: it finds a leak in each place a signature can hold one, and nothing else. */
    @Test
    void findsLeaksInEveryKindOfSignature() {
        assertEquals(
                List.of(
                        "PublicApiTest$Leaky constructor Leaky(RegistrySettings): io.autoreg.core.internal.settings.RegistrySettings",
                        "PublicApiTest$Leaky field backoffs: io.autoreg.core.internal.lifecycle.Backoff",
                        "PublicApiTest$Leaky method bounded(): io.autoreg.core.internal.lifecycle.Backoff",
                        "PublicApiTest$Leaky method fails(): io.autoreg.core.internal.lifecycle.RefusedException",
                        "PublicApiTest$Leaky method state(): io.autoreg.core.internal.lifecycle.RegistrationState",
                        "PublicApiTest$Leaky method states(): io.autoreg.core.internal.lifecycle.RegistrationState",
                        "PublicApiTest$Leaky super type: io.autoreg.core.internal.lifecycle.RegistryBackend"),
                leaks(Leaky.class).stream()
                        .map(s -> s.substring(s.indexOf("PublicApiTest$")))
                        .sorted()
                        .toList());
        assertEquals(List.of(), leaks(Clean.class));
    }

    // ---- the check --------------------------------------------------------------------------------

    /** A public type whose enclosing types are public too: what a user outside the package can name. */
    static boolean exposed(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            if (!Modifier.isPublic(c.getModifiers()) || c.isAnonymousClass() || c.isLocalClass()) {
                return false;
            }
        }
        return true;
    }

    /** "type member: internal type" for each internal type a visible member of {@code type} mentions. */
    static List<String> leaks(Class<?> type) {
        List<String> found = new ArrayList<>();
        String owner = type.getName();
        check(found, owner + " super type", () -> superTypes(type));
        check(found, owner + " type parameter", () -> bounds(type.getTypeParameters()));
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (visible(c)) {
                checkExecutable(found, owner + " constructor " + signature(c), c);
            }
        }
        for (Method m : type.getDeclaredMethods()) {
            if (visible(m) && !m.isSynthetic()) {
                checkExecutable(found, owner + " method " + signature(m), m);
                check(found, owner + " method " + signature(m), () -> List.of(m.getGenericReturnType()));
            }
        }
        for (Field f : type.getDeclaredFields()) {
            if (visible(f) && !f.isSynthetic()) {
                check(found, owner + " field " + f.getName(), () -> List.of(f.getGenericType()));
            }
        }
        return found.stream().distinct().sorted().toList();
    }

    private static boolean visible(Member member) {
        return Modifier.isPublic(member.getModifiers()) || Modifier.isProtected(member.getModifiers());
    }

    private static void checkExecutable(List<String> found, String where, Executable e) {
        check(found, where, () -> {
            List<Type> types = new ArrayList<>(List.of(e.getGenericParameterTypes()));
            types.addAll(List.of(e.getGenericExceptionTypes()));
            types.addAll(bounds(e.getTypeParameters()));
            return types;
        });
    }

    private static void check(List<String> found, String where, Supplier<List<Type>> types) {
        Set<String> internal = new TreeSet<>();
        Map<Type, Boolean> seen = new IdentityHashMap<>();
        for (Type t : types.get()) {
            collect(t, internal, seen);
        }
        for (String name : internal) {
            found.add(where + ": " + name);
        }
    }

    /** Every class a type mentions, through arrays, type arguments, wildcards and type variable bounds. */
    private static void collect(Type type, Set<String> internal, Map<Type, Boolean> seen) {
        if (type == null || seen.put(type, Boolean.TRUE) != null) {
            return;
        }
        if (type instanceof Class<?> c) {
            while (c.isArray()) {
                c = c.getComponentType();
            }
            if (c.getName().startsWith(INTERNAL)) {
                internal.add(c.getName().replace('$', '.'));
            }
            if (c.getEnclosingClass() != null) {
                collect(c.getEnclosingClass(), internal, seen);
            }
        } else if (type instanceof ParameterizedType p) {
            collect(p.getRawType(), internal, seen);
            collect(p.getOwnerType(), internal, seen);
            for (Type argument : p.getActualTypeArguments()) {
                collect(argument, internal, seen);
            }
        } else if (type instanceof WildcardType w) {
            for (Type bound : w.getUpperBounds()) {
                collect(bound, internal, seen);
            }
            for (Type bound : w.getLowerBounds()) {
                collect(bound, internal, seen);
            }
        } else if (type instanceof TypeVariable<?> v) {
            for (Type bound : v.getBounds()) {
                collect(bound, internal, seen);
            }
        } else if (type instanceof GenericArrayType a) {
            collect(a.getGenericComponentType(), internal, seen);
        }
    }

    private static List<Type> superTypes(Class<?> type) {
        List<Type> types = new ArrayList<>();
        if (type.getGenericSuperclass() != null) {
            types.add(type.getGenericSuperclass());
        }
        types.addAll(List.of(type.getGenericInterfaces()));
        return types;
    }

    private static List<Type> bounds(TypeVariable<?>[] variables) {
        List<Type> types = new ArrayList<>();
        for (TypeVariable<?> v : variables) {
            types.addAll(List.of(v.getBounds()));
        }
        return types;
    }

    private static String signature(Executable e) {
        StringBuilder s = new StringBuilder(
                        e instanceof Constructor<?> ? e.getDeclaringClass().getSimpleName() : e.getName())
                .append('(');
        Class<?>[] parameters = e.getParameterTypes();
        for (int i = 0; i < parameters.length; i++) {
            s.append(i == 0 ? "" : ", ").append(parameters[i].getSimpleName());
        }
        return s.append(')').toString();
    }

    /** The top-level and nested classes of one package, read from the directory its classes were compiled to. */
    private static List<Class<?>> compiledTypes(String pkg)
            throws IOException, URISyntaxException, ClassNotFoundException {
        // the main classes' directory, not the first on the class path (the tests share the packages)
        URL root = ServiceRegistryClient.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation();
        Path dir = Path.of(root.toURI()).resolve(pkg.replace('.', '/'));
        assertTrue(Files.isDirectory(dir), "compiled classes of " + pkg + " in " + dir);
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                String name = file.getFileName().toString();
                if (!name.equals("package-info.class")) {
                    types.add(Class.forName(
                            pkg + "." + name.substring(0, name.length() - 6),
                            false,
                            PublicApiTest.class.getClassLoader()));
                }
            }
        }
        return Collections.unmodifiableList(types);
    }

    // ---- fixtures for the checker ----------------------------------------------------------------

    /** One leak of each kind (the internal types are real ones; the checker only reads signatures). */
    @SuppressWarnings("unused")
    public abstract static class Leaky implements RegistryBackend {
        public List<? extends Backoff> backoffs;
        private RegistrationState hidden;

        public Leaky(RegistrySettings settings) {}

        public RegistrationState state() {
            return null;
        }

        public Map<String, RegistrationState[]> states() {
            return null;
        }

        public <T extends Backoff> T bounded() {
            return null;
        }

        public void fails() throws RefusedException {}

        RegistrationState packagePrivate() {
            return null;
        }
    }

    /** Only API and JDK types; internal ones in non-visible places. */
    @SuppressWarnings("unused")
    public static class Clean {
        private RegistrationState hidden;

        public Map<String, List<? super Integer>> fine() {
            return null;
        }

        private RegistrationState hidden() {
            return null;
        }
    }
}
