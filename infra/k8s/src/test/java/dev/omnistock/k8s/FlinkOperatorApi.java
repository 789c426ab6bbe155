package dev.omnistock.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import org.apache.flink.kubernetes.operator.api.spec.FlinkVersion;

/**
 * The Flink operator's API jar that Maven Central serves here (1.10.0) knows Flink versions up to
 * v1_20, while the analytics job is Flink 2.2 and its FlinkDeployment says so, for an operator that
 * knows v2_2. So the FlinkDeployment is held to the project's Flink version on its own (a test), and
 * checked against the jar's model and CRD with that one value set to the newest the jar knows.
 */
final class FlinkOperatorApi {

    /** The newest flinkVersion the API jar's model and CRD accept. */
    static final String NEWEST_KNOWN = Arrays.stream(FlinkVersion.values()).reduce((a, b) -> b).orElseThrow().name();

    private FlinkOperatorApi() {
    }

    /** The project's Flink (the root pom's flink.version), as the FlinkDeployment names it: 2.2.1 is v2_2. */
    static String projectFlinkVersion() {
        String version = System.getProperty("flink.version", "");
        if (version.isBlank()) {
            throw new IllegalStateException("flink.version is not set: run the tests through Maven (infra/k8s/pom.xml passes it)");
        }
        String[] parts = version.split("\\.");
        return "v" + parts[0] + "_" + parts[1];
    }

    /** The FlinkDeployment as the API jar can read it; every other resource unchanged. */
    static JsonNode asTheJarKnowsIt(Manifests.Manifest manifest) {
        if (!manifest.kind().equals("FlinkDeployment") || !manifest.tree().path("spec").has("flinkVersion")) {
            return manifest.tree();
        }
        ObjectNode copy = manifest.copy();
        ((ObjectNode) copy.get("spec")).put("flinkVersion", NEWEST_KNOWN);
        return copy;
    }
}
