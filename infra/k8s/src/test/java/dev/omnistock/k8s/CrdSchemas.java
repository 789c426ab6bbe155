package dev.omnistock.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The openAPIV3Schema of each served version of some CRDs, as JSON Schemas that hold a resource to
 * them the way the API server does: besides types, enums, patterns and required fields, a field the
 * schema does not name is refused (the server would prune it, or refuse it under kubectl's strict
 * field validation) unless the schema preserves unknown fields there.
 */
final class CrdSchemas {

    private static final SchemaRegistry JSON_SCHEMA = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);

    /** "group/version Kind" to its schema. */
    private final Map<String, Schema> schemas;

    private CrdSchemas(Map<String, Schema> schemas) {
        this.schemas = Map.copyOf(schemas);
    }

    /** Every CRD in the YAML files under {@code dir}. */
    static CrdSchemas fromDirectory(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            Map<String, Schema> schemas = new HashMap<>();
            files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted()
                    .forEach(file -> Manifests.read(file).forEach(crd -> add(crd, schemas)));
            return new CrdSchemas(schemas);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CRD an API jar carries as a resource. */
    static CrdSchemas fromClasspath(String resource) {
        try (InputStream in = CrdSchemas.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the test classpath");
            }
            Map<String, Schema> schemas = new HashMap<>();
            Manifests.read(new InputStreamReader(in, StandardCharsets.UTF_8)).forEach(crd -> add(crd, schemas));
            return new CrdSchemas(schemas);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void add(JsonNode crd, Map<String, Schema> schemas) {
        if (!crd.path("kind").asText().equals("CustomResourceDefinition")) {
            return;
        }
        String group = crd.path("spec").path("group").asText();
        String kind = crd.path("spec").path("names").path("kind").asText();
        for (JsonNode version : crd.path("spec").path("versions")) {
            JsonNode schema = version.path("schema").path("openAPIV3Schema");
            if (version.path("served").asBoolean() && schema.isObject()) {
                ObjectNode strict = (ObjectNode) strict(schema.deepCopy());
                // Every object has these, whether its CRD's schema says so or not.
                ObjectNode root = strict.with("properties");
                root.putObject("apiVersion").put("type", "string");
                root.putObject("kind").put("type", "string");
                if (!root.has("metadata")) {
                    root.putObject("metadata").put("type", "object");
                }
                schemas.put(group + "/" + version.path("name").asText() + " " + kind,
                        JSON_SCHEMA.getSchema(strict.toString(), InputFormat.JSON));
            }
        }
    }

    /** Unknown fields refused wherever the schema names the fields and does not preserve others. */
    private static JsonNode strict(JsonNode schema) {
        if (schema.isObject()) {
            ObjectNode node = (ObjectNode) schema;
            if (node.has("properties") && !node.has("additionalProperties")
                    && !node.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
                node.put("additionalProperties", false);
            }
            node.fields().forEachRemaining(field -> {
                // Under "properties" the names are fields, not keywords; their values are schemas all the same.
                strict(field.getValue());
            });
        } else if (schema.isArray()) {
            schema.forEach(CrdSchemas::strict);
        }
        return schema;
    }

    Set<String> kinds() {
        return schemas.keySet();
    }

    boolean covers(JsonNode resource) {
        return schemas.containsKey(key(resource));
    }

    /** @return what the schema refuses in {@code resource}, empty when it holds */
    List<String> validate(JsonNode resource) {
        Schema schema = schemas.get(key(resource));
        if (schema == null) {
            return List.of("no CRD for " + key(resource));
        }
        return schema.validate(resource.toString(), InputFormat.JSON).stream().map(Object::toString).toList();
    }

    private static String key(JsonNode resource) {
        return resource.path("apiVersion").asText() + " " + resource.path("kind").asText();
    }
}
