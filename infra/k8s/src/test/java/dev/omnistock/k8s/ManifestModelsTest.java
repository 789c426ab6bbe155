package dev.omnistock.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.omnistock.k8s.Manifests.Manifest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every resource in infra/k8s reads into its typed model without a field the model does not know. */
class ManifestModelsTest {

    @Test
    void everyYamlFileIsDeployedByTheKustomization() {
        List<String> listed = new ArrayList<>();
        Manifests.kustomization().path("resources").forEach(resource -> listed.add(resource.asText()));
        assertThat(listed).containsExactlyInAnyOrderElementsOf(Manifests.yamlFiles());
    }

    @Test
    void everyResourceReadsIntoItsTypedModelWithNoUnknownField() {
        assertThat(Manifests.problems(m -> !TypedModels.isCrdOnly(m.tree()), 30,
                m -> TypedModels.problems(FlinkOperatorApi.asTheJarKnowsIt(m)))).isEmpty();
    }

    @Test
    void onlyTheOperatorsWithoutAJarAreLeftToTheirCrds() {
        assertThat(Manifests.all().stream().filter(m -> TypedModels.isCrdOnly(m.tree())).map(Manifest::kind).distinct())
                .containsExactlyInAnyOrder("ClickHouseInstallation", "ClickHouseKeeperInstallation", "ApicurioRegistry");
    }

    @Test
    void aMisspelledFieldIsFoundInEachKindOfModel() {
        // fabric8 keeps it aside, Strimzi keeps it aside, the Flink operator's model drops it.
        assertThat(TypedModels.problems(misspelled(Manifests.one("StatefulSet", "inventory"), "serviceNme")))
                .anySatisfy(p -> assertThat(p).contains("serviceNme"));
        assertThat(TypedModels.problems(misspelled(Manifests.one("Kafka", "omnistock"), "entityOperater")))
                .anySatisfy(p -> assertThat(p).contains("entityOperater"));
        assertThat(TypedModels.problems(misspelled(Manifests.one("FlinkDeployment", "analytics"), "paralelism")))
                .anySatisfy(p -> assertThat(p).contains("paralelism"));
    }

    @Test
    void aValueOfTheWrongTypeIsFound() {
        ObjectNode inventory = Manifests.one("StatefulSet", "inventory").copy();
        ((ObjectNode) inventory.get("spec")).put("replicas", "three");
        assertThat(TypedModels.problems(inventory)).isNotEmpty();
    }

    private static ObjectNode misspelled(Manifest manifest, String field) {
        ObjectNode copy = (ObjectNode) FlinkOperatorApi.asTheJarKnowsIt(manifest).deepCopy();
        ((ObjectNode) copy.get("spec")).put(field, 1);
        return copy;
    }
}
