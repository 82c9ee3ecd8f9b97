package io.autoreg.deploy.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The repository explains itself: no source, comment or page points at a document outside it (the notes
 * beside the repository, a "spec" that is not in it, pages that live nowhere under docs/), and the figures
 * the READMEs quote are the ones docs/benchmarks.md records (docs/README.md says where each page is).
 */
class SelfContainedDocsTest {

    private static final Set<String> TEXT = Set.of(
            ".java",
            ".md",
            ".xml",
            ".conf",
            ".sh",
            ".yaml",
            ".yml",
            ".properties",
            ".lua",
            ".txt",
            ".json",
            ".service",
            ".go",
            ".js",
            ".html",
            ".css");
    /** Built from parts so that this file does not match itself. */
    private static final Pattern OUTSIDE =
            Pattern.compile("(?<![\\w-])(\\.\\./)+" + "shared\\b|(?<![\\w-])" + "shared/[\\w./-]+\\.md");

    private static final Pattern SPEC = Pattern.compile("(?i)\\bspec(?:'s)?\\s+\u00a7");
    private static final Pattern SECTION = Pattern.compile("\u00a7\\s?\\d");
    private static final Pattern PAGE = Pattern.compile("(?<![\\w.-])([\\w-]+\\.md)\\b");
    private static final Pattern DOCS_PAGE = Pattern.compile("docs/([\\w-]+\\.md)");
    private static final List<String> DOCS_ONLY = List.of("architecture", "agent-facts", "house-style");
    /** A multiplier such as 1.22x or 1.08-1.18x (not a formula such as 0.6xT). */
    private static final Pattern MULTIPLIER = Pattern.compile("\\d+\\.\\d+(?:\u2013\\d+\\.\\d+)?\u00d7(?![A-Za-z])");

    private static final Pattern FIGURE = Pattern.compile("\\d+\\.\\d+(?:\u2013\\d+\\.\\d+)?\u00d7(?![A-Za-z])"
            + "|\\d+(?:\\.\\d+)? (?:ms|MiB)\\b|\\d{1,3}(?:,\\d{3})+");

    @Test
    void nothingPointsOutsideTheRepository() throws IOException {
        Path root = RepoRoot.path();
        List<String> problems = new ArrayList<>();
        List<Path> files = textFiles(root);
        Set<String> pages = new LinkedHashSet<>();
        Set<String> docs = new LinkedHashSet<>();
        for (Path file : files) {
            pages.add(file.getFileName().toString());
            if (file.getParent().equals(root.resolve("docs"))) {
                docs.add(file.getFileName().toString());
            }
        }
        for (Path file : files) {
            String rel = root.relativize(file).toString().replace('\\', '/');
            List<String> lines = read(file);
            for (int i = 0; i < lines.size(); i++) {
                for (String problem : lineProblems(rel, lines.get(i), pages, docs)) {
                    problems.add(rel + ":" + (i + 1) + ": " + problem);
                }
            }
        }
        assertTrue(
                problems.isEmpty(),
                problems.size() + " pointers outside the repository:\n" + String.join("\n", problems));
    }

    @Test
    void theRulesCatchWhatTheyAreFor() {
        String architecture = "architecture" + ".md";
        Set<String> pages = Set.of("README.md", "api.md", architecture);
        Set<String> docs = Set.of("api.md", architecture);
        String up = "../";
        assertEquals(
                1,
                lineProblems("a/B.java", " * see " + up + up + "shared/notes", pages, docs)
                        .size());
        assertEquals(
                1,
                lineProblems("a/B.java", " * Spec \u00a78: one pool", pages, docs)
                        .size());
        assertEquals(
                1,
                lineProblems("a/B.java", " * with the client behaviour of \u00a78", pages, docs)
                        .size());
        assertEquals(List.of(), lineProblems("a/B.java", " * (docs/api.md \u00a78)", pages, docs));
        assertEquals(List.of(), lineProblems("a/B.java", " * framing (RFC 9112 \u00a76.1)", pages, docs));
        assertEquals(
                1,
                lineProblems("a/B.java", " * see architecture" + ".md", pages, docs)
                        .size());
        assertEquals(List.of(), lineProblems("a/B.java", " * see docs/architecture" + ".md", pages, docs));
        assertEquals(List.of(), lineProblems("docs/README.md", "[a](architecture" + ".md)", pages, docs));
        assertTrue(!lineProblems("README.md", "see docs/agent-facts" + ".md", pages, docs)
                .isEmpty());
        assertEquals(
                1,
                lineProblems("a/B.java", " * (service-registry-api" + ".md)", pages, docs)
                        .size());
        assertEquals(List.of(), lineProblems("docs/api.md", "as in \u00a74", pages, docs));
        assertTrue(MULTIPLIER.matcher("start-up 1.29\u00d7 the no-agent time").find());
        assertTrue(!MULTIPLIER.matcher("heartbeat at 0.6\u00d7T").find());
        assertEquals(
                List.of("1.08\u20131.18\u00d7", "216 ms", "11,823"),
                FIGURE.matcher("a 1.08\u20131.18\u00d7 floor, p99 216 ms, 11,823 lists")
                        .results()
                        .map(java.util.regex.MatchResult::group)
                        .toList());
    }

    /** What is wrong with one line of the file {@code rel} (relative to the root), if anything. */
    static List<String> lineProblems(String rel, String line, Set<String> pages, Set<String> docs) {
        List<String> problems = new ArrayList<>();
        boolean inDocs = rel.startsWith("docs/");
        if (OUTSIDE.matcher(line).find()) {
            problems.add("points at notes outside the repository");
        }
        if (SPEC.matcher(line).find()) {
            problems.add("cites a spec that is not in the repository (name the docs/ page: docs/api.md \u00a7n)");
        } else if (!inDocs
                && SECTION.matcher(line).find()
                && !line.contains("RFC")
                && !PAGE.matcher(line).find()) {
            problems.add("cites a section without the page it is in (docs/api.md \u00a7n)");
        }
        for (String name : DOCS_ONLY) {
            Matcher m = Pattern.compile("(?<![\\w-])(\\S*?)" + Pattern.quote(name + ".md"))
                    .matcher(line);
            while (m.find()) {
                boolean underDocs =
                        m.group(1).endsWith("docs/") || inDocs && !m.group(1).contains("/");
                if (!underDocs || !docs.contains(name + ".md")) {
                    problems.add(name + ".md is not a page under docs/");
                }
            }
        }
        Matcher named = PAGE.matcher(line);
        while (named.find()) {
            if (!pages.contains(named.group(1))) {
                problems.add(named.group(1) + " is not a page of the repository");
            }
        }
        Matcher page = DOCS_PAGE.matcher(line);
        while (page.find()) {
            if (!docs.contains(page.group(1))) {
                problems.add("docs/" + page.group(1) + " does not exist");
            }
        }
        return problems;
    }

    @Test
    void theReadmesQuoteTheirFiguresFromDocsBenchmarks() throws IOException {
        Path root = RepoRoot.path();
        String benchmarks = Files.readString(root.resolve("docs/benchmarks.md"), StandardCharsets.UTF_8);
        List<String> missing = new ArrayList<>();
        int quoted = 0;
        for (String readme : List.of("README.md", "agent/README.md")) {
            for (String block : blocks(Files.readString(root.resolve(readme), StandardCharsets.UTF_8))) {
                if (!MULTIPLIER.matcher(block).find()) {
                    continue;
                }
                Matcher m = FIGURE.matcher(block);
                while (m.find()) {
                    quoted++;
                    if (!benchmarks.contains(m.group())) {
                        String where = block.strip().replaceAll("\\s+", " ");
                        missing.add(readme + ": " + m.group() + " in \"" + where + "\"");
                    }
                }
            }
        }
        assertTrue(quoted > 0, "the READMEs quote the benchmark figures");
        assertTrue(
                missing.isEmpty(),
                "figures quoted in a README that docs/benchmarks.md does not record:\n" + String.join("\n", missing));
    }

    /** Paragraphs and list items: a figure and what it measures stay in one block. */
    private static List<String> blocks(String text) {
        List<String> blocks = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            boolean starts = line.isBlank() || line.startsWith("- ") || line.startsWith("|") || line.startsWith("#");
            if (starts && current.length() > 0) {
                blocks.add(current.toString());
                current.setLength(0);
            }
            if (!line.isBlank()) {
                current.append(line).append('\n');
            }
        }
        if (current.length() > 0) {
            blocks.add(current.toString());
        }
        return blocks;
    }

    private static List<Path> textFiles(Path root) throws IOException {
        Set<Path> files = new LinkedHashSet<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile)
                    .filter(p -> !isSkipped(root.relativize(p)))
                    .filter(p -> {
                        String name = p.getFileName().toString();
                        int dot = name.lastIndexOf('.');
                        return dot >= 0 && TEXT.contains(name.substring(dot))
                                || name.equals("run")
                                || name.equals("Containerfile");
                    })
                    .forEach(files::add);
        }
        assertTrue(files.size() > 100, "found the repository's files under " + root);
        return new ArrayList<>(files);
    }

    /** Build output, version control and tool caches are not the repository's text. */
    private static boolean isSkipped(Path rel) {
        for (Path part : rel) {
            String name = part.toString();
            if (name.equals("target") || name.equals("node_modules") || name.equals(".git") || name.equals(".idea")) {
                return true;
            }
        }
        return false;
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
