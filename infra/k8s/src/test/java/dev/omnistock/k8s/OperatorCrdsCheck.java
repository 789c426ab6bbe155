package dev.omnistock.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Every custom resource of Strimzi, the Altinity ClickHouse operator and the Apicurio Registry operator
 * against those operators' published CRDs, which no package registry serves: they are read from
 * {@code k8s.crds} (a system property, relative to the checkout; CI has them in ../shared/k8s-crds beside
 * the checkout). Not a *Test: `./mvnw verify` runs it only with -Dk8s.crds (as .ci/run
 * does; infra/k8s/pom.xml), and then a missing directory fails it.
 */
class OperatorCrdsCheck {

    private static final CrdSchemas OPERATORS = CrdSchemas.fromDirectory(crdsDir());

    static Path crdsDir() {
        String configured = System.getProperty("k8s.crds", "");
        if (configured.isBlank()) {
            throw new IllegalStateException("-Dk8s.crds is empty: set it to the directory holding the operators' CRDs (infra/k8s/README.md)");
        }
        Path dir = Manifests.repoRoot().resolve(configured);
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("The operators' CRDs are not at " + dir.normalize()
                    + ": set -Dk8s.crds to the directory holding them (infra/k8s/README.md)");
        }
        return dir.normalize();
    }

    @Test
    void everyCustomResourceHoldsToItsOperatorsCrd() {
        assertThat(Manifests.problems(m -> OPERATORS.covers(m.tree()), 20, m -> OPERATORS.validate(m.tree()))).isEmpty();
    }

    @Test
    void everyKindOfTheseOperatorsInTheManifestsHasItsCrd() {
        assertThat(Manifests.all()).filteredOn(m -> m.apiVersion().contains("strimzi.io") || m.apiVersion().contains("altinity.com")
                || m.apiVersion().contains("apicur.io")).isNotEmpty().allSatisfy(m -> assertThat(OPERATORS.covers(m.tree())).as(m.toString()).isTrue());
    }

    @Test
    void theCrdsRefuseAnUnknownFieldAndAWrongType() {
        ObjectNode kafka = Manifests.one("Kafka", "omnistock").copy();
        ((ObjectNode) kafka.path("spec").path("kafka")).put("replicas", 3); // v1beta2 had it; v1 moved it to node pools
        assertThat(OPERATORS.validate(kafka)).anySatisfy(error -> assertThat(error).contains("replicas"));

        ObjectNode topic = Manifests.one("KafkaTopic", "orders").copy();
        ((ObjectNode) topic.get("spec")).put("partitions", "six");
        assertThat(OPERATORS.validate(topic)).isNotEmpty();

        ObjectNode clickhouse = Manifests.one("ClickHouseInstallation", "omnistock").copy();
        ((ObjectNode) clickhouse.get("spec")).put("configurations", "typo");
        assertThat(OPERATORS.validate(clickhouse)).anySatisfy(error -> assertThat(error).contains("configurations"));
    }
}
