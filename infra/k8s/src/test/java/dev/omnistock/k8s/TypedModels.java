package dev.omnistock.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;

/**
 * Reads manifests into the typed models of fabric8 (Kubernetes' own kinds), Strimzi's API jar and the
 * Flink operator's, and finds every field a model did not take: the models keep unknown fields aside
 * (fabric8's and Strimzi's additionalProperties) or drop them (the Flink operator's), so both are looked for.
 */
final class TypedModels {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    static {
        for (String version : List.of("kafka.strimzi.io/v1")) {
            SERIALIZATION.registerKubernetesResource(version, "Kafka", Kafka.class);
            SERIALIZATION.registerKubernetesResource(version, "KafkaNodePool", KafkaNodePool.class);
            SERIALIZATION.registerKubernetesResource(version, "KafkaTopic", KafkaTopic.class);
            SERIALIZATION.registerKubernetesResource(version, "KafkaUser", KafkaUser.class);
        }
        SERIALIZATION.registerKubernetesResource(FlinkDeployment.class);
    }

    /** Kinds no jar on Maven Central models: their CRDs alone check them (OperatorCrdsCheck). */
    static final Set<String> CRD_ONLY_KINDS = Set.of(
            "clickhouse.altinity.com/v1 ClickHouseInstallation",
            "clickhouse-keeper.altinity.com/v1 ClickHouseKeeperInstallation",
            "registry.apicur.io/v1 ApicurioRegistry");

    private TypedModels() {
    }

    static boolean isCrdOnly(JsonNode tree) {
        return CRD_ONLY_KINDS.contains(tree.path("apiVersion").asText() + " " + tree.path("kind").asText());
    }

    static KubernetesResource read(JsonNode tree) {
        return SERIALIZATION.unmarshal(tree.toString(), KubernetesResource.class);
    }

    /**
     * @return the fields of {@code tree} its typed model does not hold (with their paths), empty when it
     * takes them all; a kind without a model is one problem
     */
    static List<String> problems(JsonNode tree) {
        KubernetesResource resource;
        try {
            resource = read(tree);
        } catch (RuntimeException e) {
            return List.of("does not parse into its model: " + e.getMessage());
        }
        if (resource instanceof GenericKubernetesResource) {
            return List.of("no typed model is registered for " + tree.path("apiVersion").asText() + " " + tree.path("kind").asText());
        }
        List<String> problems = new ArrayList<>();
        kept("", resource, problems, new IdentityHashMap<>());
        JsonNode back = SERIALIZATION.convertValue(resource, JsonNode.class);
        dropped("", tree, back, problems);
        return problems;
    }

    /** Fields a model kept aside as unknown (additionalProperties), anywhere in the object graph. */
    private static void kept(String path, Object value, List<String> problems, Map<Object, Boolean> seen) {
        if (value == null || seen.put(value, Boolean.TRUE) != null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                kept(path + "[" + i++ + "]", item, problems, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> kept(path + "." + key, item, problems, seen));
            return;
        }
        String pkg = value.getClass().getPackageName();
        if (!pkg.startsWith("io.fabric8") && !pkg.startsWith("io.strimzi") && !pkg.startsWith("org.apache.flink.kubernetes")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getName().equals("getClass")
                    || getter.getReturnType().isPrimitive() || getter.getReturnType() == String.class
                    || getter.getReturnType().isEnum()) {
                continue;
            }
            Object child;
            try {
                child = getter.invoke(value);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue; // a derived getter that needs more than the manifest gives: no field of its own
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> unknown && !unknown.isEmpty()) {
                    problems.add((path.isEmpty() ? "" : path + ": ") + "unknown field(s) " + unknown.keySet());
                }
                continue;
            }
            String property = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
            kept(path.isEmpty() ? property : path + "." + property, child, problems, seen);
        }
    }

    /** Fields of the manifest missing (or read as another value) when the model is written back. */
    private static void dropped(String path, JsonNode given, JsonNode back, List<String> problems) {
        if (given.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = given.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                if (at.equals("apiVersion")) {
                    continue; // a custom resource's model writes its class's default version; its kind was matched by this one
                }
                if (back == null || !back.has(field.getKey())) {
                    problems.add(at + ": not a field of the model (dropped when read)");
                } else {
                    dropped(at, field.getValue(), back.get(field.getKey()), problems);
                }
            }
        } else if (given.isArray()) {
            for (int i = 0; i < given.size(); i++) {
                dropped(path + "[" + i + "]", given.get(i), back == null ? null : back.get(i), problems);
            }
        } else if (back == null || !sameScalar(given, back)) {
            problems.add(path + ": " + given + " was read as " + back);
        }
    }

    private static boolean sameScalar(JsonNode given, JsonNode back) {
        if (given.asText().equals(back.asText())) {
            return true;
        }
        try {
            return new BigDecimal(given.asText()).compareTo(new BigDecimal(back.asText())) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
