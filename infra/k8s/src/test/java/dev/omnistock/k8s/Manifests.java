package dev.omnistock.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The resources infra/k8s/kustomization.yaml deploys, each YAML document as its own tree. */
final class Manifests {

    static final ObjectMapper YAML = new YAMLMapper();
    private static final List<Manifest> ALL = load();

    private Manifests() {
    }

    /** One YAML document of a manifest file. */
    record Manifest(String file, int document, JsonNode tree) {

        String apiVersion() {
            return tree.path("apiVersion").asText();
        }

        String kind() {
            return tree.path("kind").asText();
        }

        String name() {
            return tree.path("metadata").path("name").asText();
        }

        /** A deep copy, to change for a check without touching the original. */
        ObjectNode copy() {
            return (ObjectNode) tree.deepCopy();
        }

        @Override
        public String toString() {
            return kind() + " " + name() + " (" + file + ", document " + document + ")";
        }
    }

    static List<Manifest> all() {
        return ALL;
    }

    /**
     * What {@code check} finds in each manifest {@code which} picks, each told with its manifest.
     * @throws AssertionError when it picks fewer than {@code atLeast}: a check of nothing passes nothing
     */
    static List<String> problems(Predicate<Manifest> which, int atLeast, Function<Manifest, List<String>> check) {
        List<Manifest> picked = ALL.stream().filter(which).toList();
        if (picked.size() < atLeast) {
            throw new AssertionError("only " + picked.size() + " manifests to check, expected at least " + atLeast);
        }
        return picked.stream().flatMap(m -> check.apply(m).stream().map(problem -> m + ": " + problem)).toList();
    }

    static List<Manifest> ofKind(String kind) {
        return ALL.stream().filter(m -> m.kind().equals(kind)).toList();
    }

    static Manifest one(String kind, String name) {
        return ALL.stream().filter(m -> m.kind().equals(kind) && m.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " named " + name + " in infra/k8s"));
    }

    static Path repoRoot() {
        String configured = System.getProperty("omnistock.repo.root", "");
        if (!configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("infra/k8s"))) {
                return dir;
            }
        }
        throw new IllegalStateException("the checkout's root (with mvnw) is not above " + Path.of("").toAbsolutePath());
    }

    static Path dir() {
        return repoRoot().resolve("infra/k8s");
    }

    static JsonNode kustomization() {
        return read(dir().resolve("kustomization.yaml")).get(0);
    }

    /** Every YAML file in infra/k8s but the build's own (src, target) and kustomize's configuration. */
    static List<String> yamlFiles() {
        try (Stream<Path> files = Files.walk(dir())) {
            return files.filter(Files::isRegularFile)
                    .map(path -> dir().relativize(path).toString())
                    .filter(name -> name.endsWith(".yaml") || name.endsWith(".yml"))
                    .filter(name -> !name.startsWith("src/") && !name.startsWith("target/"))
                    .filter(name -> !name.equals("kustomization.yaml") && !name.equals("kustomizeconfig.yaml"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Manifest> load() {
        List<Manifest> manifests = new ArrayList<>();
        for (JsonNode resource : kustomization().path("resources")) {
            List<JsonNode> documents = read(dir().resolve(resource.asText()));
            for (int i = 0; i < documents.size(); i++) {
                manifests.add(new Manifest(resource.asText(), i + 1, documents.get(i)));
            }
        }
        return List.copyOf(manifests);
    }

    /**
     * The file's documents, leaving out empty ones (a file's leading comment block is one). SnakeYAML
     * reads them, as it resolves anchors and aliases (the Altinity CRDs use them), which Jackson's YAML
     * parser does not.
     */
    static List<JsonNode> read(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            return read(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static List<JsonNode> read(Reader reader) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(10_000);
        options.setCodePointLimit(16 * 1024 * 1024);
        List<JsonNode> documents = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(options)).loadAll(reader)) {
            if (document != null) {
                documents.add(YAML.valueToTree(document));
            }
        }
        return documents;
    }
}
