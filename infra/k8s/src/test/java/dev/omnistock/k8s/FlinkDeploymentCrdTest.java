package dev.omnistock.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.omnistock.k8s.Manifests.Manifest;
import org.junit.jupiter.api.Test;

/** The FlinkDeployment against the CRD in the Flink operator's API jar (Maven Central), on every build. */
class FlinkDeploymentCrdTest {

    private static final CrdSchemas FLINK = CrdSchemas.fromClasspath("META-INF/fabric8/flinkdeployments.flink.apache.org-v1.yml");

    @Test
    void theFlinkDeploymentHoldsToTheOperatorsCrd() {
        assertThat(Manifests.ofKind("FlinkDeployment")).isNotEmpty().allSatisfy(manifest ->
                assertThat(FLINK.validate(FlinkOperatorApi.asTheJarKnowsIt(manifest))).as(manifest.toString()).isEmpty());
    }

    @Test
    void itNamesTheProjectsFlink() {
        // The one value the jar's CRD cannot check (FlinkOperatorApi).
        assertThat(Manifests.ofKind("FlinkDeployment")).allSatisfy(manifest ->
                assertThat(manifest.tree().path("spec").path("flinkVersion").asText()).isEqualTo(FlinkOperatorApi.projectFlinkVersion()));
    }

    @Test
    void theCrdRefusesAnUnknownFieldAndAWrongValue() {
        Manifest analytics = Manifests.one("FlinkDeployment", "analytics");
        ObjectNode unknown = (ObjectNode) FlinkOperatorApi.asTheJarKnowsIt(analytics).deepCopy();
        ((ObjectNode) unknown.path("spec").path("job")).put("paralelism", 4);
        assertThat(FLINK.validate(unknown)).anySatisfy(error -> assertThat(error).contains("paralelism"));

        ObjectNode wrongMode = (ObjectNode) FlinkOperatorApi.asTheJarKnowsIt(analytics).deepCopy();
        ((ObjectNode) wrongMode.path("spec").path("job")).put("upgradeMode", "savepoints");
        assertThat(FLINK.validate(wrongMode)).isNotEmpty();
    }
}
