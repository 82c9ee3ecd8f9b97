package io.autoreg.core.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The core's package rule (docs/architecture.md, "Public API and internal packages"; OkHttp's
 * {@code okhttp3.internal} is the model):
 * <ol>
 *   <li>Only {@code io.autoreg.core.client} and {@code io.autoreg.core.client.model} are API. Every other
 *       package of the core's main sources lives under {@code io.autoreg.core.internal}: autoreg's own front
 *       ends (agent, sidecar, registry) use it, nobody else should, and it changes without notice.</li>
 *   <li>The packages form no cycle (an edge is an import or a fully-qualified name in code, comments and
 *       strings aside).</li>
 *   <li>The wire model depends on no other autoreg package.</li>
 *   <li>The client runs on the internal engine (the lifecycle's state machine, the settings' defaults, the
 *       shared OkHttp pool, the log), so {@code client -> internal} is allowed, but only into the packages
 *       listed in {@link #CLIENT_MAY_USE}. The other direction is allowed only for the one backend that speaks
 *       the registry's API through the client ({@link #MAY_USE_CLIENT}); no other internal package may import
 *       the client, which keeps the client and the internal packages from growing into one knot.</li>
 * </ol>
 * What the client API's signatures may mention (no internal type) is {@link PublicApiTest}'s rule, read from the
 * compiled classes. Moving a package is scripts/dev/move-core-internal.sh; a new edge that breaks a rule needs a decision,
 * recorded here and in docs/architecture.md, not just a longer list.
 */
class PackageStructureTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final String CORE = "io.autoreg.core";
    private static final Set<String> API = Set.of(CORE + ".client", CORE + ".client.model");
    private static final String INTERNAL = CORE + ".internal";
    private static final Set<String> CLIENT_MAY_USE = Set.of(
            INTERNAL + ".lifecycle",
            INTERNAL + ".settings",
            INTERNAL + ".http",
            INTERNAL + ".log",
            INTERNAL + ".model");
    private static final Set<String> MAY_USE_CLIENT = Set.of(INTERNAL + ".backend.serviceregistry");

    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    /** A reference to a core type: the lower-case segments up to the first capitalised one. */
    private static final Pattern REFERENCE = Pattern.compile("\\b(io\\.autoreg\\.core(?:\\.[a-z0-9_]+)*)\\.[A-Z]");

    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "^public\\s+(?:(?:final|abstract|sealed|non-sealed|static|strictfp)\\s+)*(?:class|interface|record|enum|@interface)\\s",
            Pattern.MULTILINE);

    /** package -> the other core packages it references */
    private static final Map<String, Set<String>> EDGES = new TreeMap<>();
    /** package -> its public top-level types */
    private static final Map<String, Set<String>> PUBLIC_TYPES = new TreeMap<>();

    @BeforeAll
    static void readSources() throws IOException {
        assertTrue(Files.isDirectory(SOURCES), "run from the module directory");
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String code = codeOnly(Files.readString(file, StandardCharsets.UTF_8));
                Matcher declared = PACKAGE.matcher(code);
                assertTrue(declared.find(), file + " declares its package");
                String pkg = declared.group(1);
                Set<String> edges = EDGES.computeIfAbsent(pkg, p -> new TreeSet<>());
                Matcher reference = REFERENCE.matcher(code);
                while (reference.find()) {
                    if (!reference.group(1).equals(pkg)) {
                        edges.add(reference.group(1));
                    }
                }
                if (PUBLIC_TYPE.matcher(code).find()) {
                    String name = file.getFileName().toString();
                    PUBLIC_TYPES.computeIfAbsent(pkg, p -> new TreeSet<>()).add(name.substring(0, name.length() - 5));
                }
            }
        }
        assertTrue(EDGES.keySet().containsAll(API), "the client API is where the rule expects it: " + EDGES.keySet());
        int api = 0;
        int internal = 0;
        for (Map.Entry<String, Set<String>> e : PUBLIC_TYPES.entrySet()) {
            if (API.contains(e.getKey())) {
                api += e.getValue().size();
            } else {
                internal += e.getValue().size();
            }
        }
        System.out.printf("core public top-level types: %d in the client API, %d under %s%n", api, internal, INTERNAL);
    }

    @Test
    void everyPackageOutsideTheClientApiIsInternal() {
        List<String> outside = EDGES.keySet().stream()
                .filter(p -> !API.contains(p) && !p.equals(INTERNAL) && !p.startsWith(INTERNAL + "."))
                .toList();
        assertEquals(
                List.of(),
                outside,
                "packages that are neither the client API nor under " + INTERNAL
                        + " (move them with scripts/dev/move-core-internal.sh)");
    }

    @Test
    void thePackagesFormNoCycle() {
        List<String> cycles = new ArrayList<>();
        Map<String, Integer> state = new TreeMap<>();
        for (String pkg : EDGES.keySet()) {
            findCycle(pkg, new ArrayList<>(), state, cycles);
        }
        assertEquals(List.of(), cycles, "package cycles");
    }

    @Test
    void theWireModelDependsOnNoOtherPackage() {
        assertEquals(Set.of(), EDGES.get(CORE + ".client.model"));
    }

    @Test
    void theClientAndTheInternalPackagesMeetOnlyWhereTheRuleAllows() {
        List<String> offending = new ArrayList<>();
        for (Map.Entry<String, Set<String>> e : EDGES.entrySet()) {
            String from = e.getKey();
            for (String to : e.getValue()) {
                boolean fromApi = API.contains(from);
                boolean toApi = API.contains(to);
                if (fromApi && !toApi && !CLIENT_MAY_USE.contains(to)) {
                    offending.add(from + " -> " + to + " (the client may use only " + CLIENT_MAY_USE + ")");
                }
                if (!fromApi && toApi && !MAY_USE_CLIENT.contains(from)) {
                    offending.add(from + " -> " + to + " (only " + MAY_USE_CLIENT + " may use the client)");
                }
            }
        }
        assertEquals(List.of(), offending);
    }

    /** Depth-first search; state 1 = on the current path, 2 = done. Records each cycle once, as a path. */
    private static void findCycle(String pkg, List<String> path, Map<String, Integer> state, List<String> cycles) {
        Integer s = state.get(pkg);
        if (s != null && s == 2) {
            return;
        }
        if (s != null) {
            cycles.add(String.join(" -> ", path.subList(path.indexOf(pkg), path.size())) + " -> " + pkg);
            return;
        }
        state.put(pkg, 1);
        path.add(pkg);
        for (String next : EDGES.getOrDefault(pkg, Set.of())) {
            findCycle(next, path, state, cycles);
        }
        path.remove(path.size() - 1);
        state.put(pkg, 2);
    }

    /** The source without comments, string and character literals (text blocks included). */
    static String codeOnly(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                i = source.indexOf('\n', i);
                i = i < 0 ? n : i;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                i = end < 0 ? n : end + 3;
                out.append("\"\"");
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && source.charAt(j) != c) {
                    j += source.charAt(j) == '\\' ? 2 : 1;
                }
                i = j + 1;
                out.append(c).append(c);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    @Test
    void codeOnlyDropsCommentsAndLiterals() {
        String code = codeOnly(
                "import a.B; // io.autoreg.core.x.Y\n/* io.autoreg.core.z.W */ String s = \"io.autoreg.core.q.R\\\"\";"
                        + " char c = '\"'; var t = \"\"\"\n io.autoreg.core.t.T \"\"\"; io.autoreg.core.k.K k;");
        Matcher m = REFERENCE.matcher(code);
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        assertEquals(List.of("io.autoreg.core.k"), found);
    }
}
