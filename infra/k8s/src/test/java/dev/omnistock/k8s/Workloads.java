package dev.omnistock.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omnistock.k8s.Manifests.Manifest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The pods the manifests run, and what each container is given. */
final class Workloads {

    private Workloads() {
    }

    /** A container of a workload, with the environment Kubernetes will give it. */
    record Container(Manifest workload, JsonNode podSpec, JsonNode spec) {

        String name() {
            return workload.kind() + " " + workload.name() + "/" + spec.path("name").asText();
        }

        /** Variable name to its entry in env, or to a {"value": ...} entry for a ConfigMap's key taken by envFrom. */
        Map<String, JsonNode> environment() {
            Map<String, JsonNode> environment = new LinkedHashMap<>();
            for (JsonNode source : spec.path("envFrom")) {
                String configMap = source.path("configMapRef").path("name").asText(null);
                if (configMap == null) {
                    throw new AssertionError(name() + " takes its environment from something other than a ConfigMap: " + source);
                }
                Manifests.one("ConfigMap", configMap).tree().path("data").fields().forEachRemaining(entry ->
                        environment.put(entry.getKey(), Manifests.YAML.createObjectNode().put("name", entry.getKey()).set("value", entry.getValue())));
            }
            spec.path("env").forEach(entry -> environment.put(entry.path("name").asText(), entry));
            return environment;
        }

        String value(String variable) {
            JsonNode entry = environment().get(variable);
            return entry == null ? null : entry.path("value").asText(null);
        }
    }

    /** The pod spec of a Deployment, StatefulSet or FlinkDeployment; null for other kinds. */
    static JsonNode podSpec(Manifest manifest) {
        return switch (manifest.kind()) {
            case "Deployment", "StatefulSet" -> manifest.tree().path("spec").path("template").path("spec");
            case "FlinkDeployment" -> manifest.tree().path("spec").path("podTemplate").path("spec");
            default -> null;
        };
    }

    static JsonNode podLabels(Manifest manifest) {
        return switch (manifest.kind()) {
            case "Deployment", "StatefulSet" -> manifest.tree().path("spec").path("template").path("metadata").path("labels");
            case "FlinkDeployment" -> manifest.tree().path("spec").path("podTemplate").path("metadata").path("labels");
            default -> Manifests.YAML.missingNode();
        };
    }

    static List<Manifest> all() {
        return Manifests.all().stream().filter(m -> podSpec(m) != null).toList();
    }

    static List<Container> containers() {
        List<Container> containers = new ArrayList<>();
        for (Manifest workload : all()) {
            JsonNode podSpec = podSpec(workload);
            podSpec.path("containers").forEach(container -> containers.add(new Container(workload, podSpec, container)));
        }
        return containers;
    }

    static Container container(String kind, String name) {
        return containers().stream().filter(c -> c.workload().kind().equals(kind) && c.workload().name().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no container in " + kind + " " + name));
    }

    /** Whether {@code selector} (matchLabels, or a Service's plain map) picks pods labelled {@code labels}. */
    static boolean selects(JsonNode selector, JsonNode labels) {
        JsonNode match = selector.has("matchLabels") ? selector.get("matchLabels") : selector;
        if (match.isEmpty() && selector.has("matchLabels")) {
            return false;
        }
        boolean[] all = {true};
        match.fields().forEachRemaining(label -> all[0] &= label.getValue().asText().equals(labels.path(label.getKey()).asText(null)));
        return all[0];
    }
}
