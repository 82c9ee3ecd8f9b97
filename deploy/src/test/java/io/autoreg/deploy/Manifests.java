package io.autoreg.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The Kubernetes manifests a platform team applies: every YAML document under {@code examples/kubernetes}. */
final class Manifests {

    /** One document of one file, with where it came from for the failure messages. */
    record Document(Path file, int index, Map<String, Object> content) {
        String kind() {
            return String.valueOf(content.get("kind"));
        }

        String name() {
            Object metadata = content.get("metadata");
            return metadata instanceof Map<?, ?> m ? String.valueOf(m.get("name")) : "?";
        }

        @Override
        public String toString() {
            return file.getFileName() + "#" + index + " " + kind() + "/" + name();
        }
    }

    private Manifests() {}

    static Path root() {
        return Path.of(System.getProperty("autoreg-it.root", ".."))
                .toAbsolutePath()
                .normalize();
    }

    static Path directory() {
        return root().resolve("examples/kubernetes");
    }

    static List<Path> files() {
        try (Stream<Path> files = Files.list(directory())) {
            return files.filter(
                            f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Document> all() {
        List<Document> documents = new ArrayList<>();
        for (Path file : files()) {
            documents.addAll(parse(file));
        }
        return documents;
    }

    @SuppressWarnings("unchecked")
    static List<Document> parse(Path file) {
        try {
            return parse(file, Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<Document> parse(Path file, String yaml) {
        List<Document> documents = new ArrayList<>();
        int index = 0;
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
            if (document != null) {
                documents.add(new Document(file, index, (Map<String, Object>) document));
            }
            index++;
        }
        return documents;
    }
}
