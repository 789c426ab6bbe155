package dev.omnistock.serde;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.avro.AvroSchema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.avro.AvroSchemaProvider;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.SchemaRegistryClient;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.SchemaRegistryClientFactory;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.rest.exceptions.RestClientException;

/**
 * The schema registry as this project uses it, over Confluent's own client.
 *
 * <p>Maven Central carries that client only relocated inside Flink's SQL format jar, with a relocated
 * Avro of its own. Schemas therefore cross this boundary as JSON text; the rest of the code sees
 * plain {@link org.apache.avro.Schema} only. The client caches ids and schemas itself.
 */
public final class SchemaRegistry {

    private static final int CACHE_CAPACITY = 1_000;

    private final SchemaRegistryClient client;

    private SchemaRegistry(SchemaRegistryClient client) {
        this.client = client;
    }

    /** @param config serde-style config: {@code schema.registry.url} (comma-separated, or mock://scope) and basic auth */
    public static SchemaRegistry connect(Map<String, ?> config) {
        Object url = Objects.requireNonNull(config.get("schema.registry.url"),
                "schema.registry.url is not set: point it (or SCHEMA_REGISTRY_URL) at the schema registry");
        List<String> urls = List.of(String.valueOf(url).split(","));
        return new SchemaRegistry(SchemaRegistryClientFactory.newClient(
                urls, CACHE_CAPACITY, List.of(new AvroSchemaProvider()), config, Map.of()));
    }

    /** Registers the schema under the subject (or finds it registered) and returns its global id. */
    public int register(String subject, Schema schema) {
        return call(() -> client.register(subject, new AvroSchema(schema.toString())), "register a schema under " + subject);
    }

    /** The id of a schema already registered under the subject; fails if it is not. */
    public int idOf(String subject, Schema schema) {
        return call(() -> client.getId(subject, new AvroSchema(schema.toString())), "look up a schema under " + subject);
    }

    public Schema schemaById(int id) {
        String text = call(() -> client.getSchemaById(id).canonicalString(), "fetch the schema with id " + id);
        return new Schema.Parser().parse(text);
    }

    public Schema latestSchema(String subject) {
        String text = call(() -> client.getLatestSchemaMetadata(subject).getSchema(), "fetch the latest schema of " + subject);
        return new Schema.Parser().parse(text);
    }

    /** Sets the subject's compatibility level, e.g. BACKWARD. */
    public void setCompatibility(String subject, String level) {
        call(() -> client.updateCompatibility(subject, level), "set compatibility " + level + " on " + subject);
    }

    private interface RegistryCall<T> {
        T call() throws IOException, RestClientException;
    }

    private static <T> T call(RegistryCall<T> registryCall, String what) {
        try {
            return registryCall.call();
        } catch (RestClientException e) {
            throw new SchemaRegistryException("Schema registry refused to " + what + ": " + e.getMessage(),
                    e.getStatus(), e.getErrorCode(), e);
        } catch (IOException e) {
            throw new SchemaRegistryException("Could not reach the schema registry to " + what
                    + " (is SCHEMA_REGISTRY_URL right and the registry up?): " + e.getMessage(), -1, -1, e);
        }
    }
}
