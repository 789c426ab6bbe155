package dev.omnistock.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omnistock.k8s.Manifests.Manifest;
import dev.omnistock.k8s.Workloads.Container;
import dev.omnistock.testsupport.ReadmeSettings;
import dev.omnistock.topics.TopicSpec;
import dev.omnistock.topics.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the services need from their manifests, and what a platform team expects of any. */
class ManifestRulesTest {

    /** Read by Flink's own image (its entry point), not by the project's code. */
    private static final Set<String> FLINK_IMAGE_VARIABLES = Set.of("ENABLE_BUILT_IN_PLUGINS");

    private static final Container INVENTORY = Workloads.container("StatefulSet", "inventory");
    private static final Container NOTIFIER = Workloads.container("StatefulSet", "notifier");

    @Test
    void inventoryInstancesAreNamedByTheirPodAndKeepTheirStateOnTheirOwnVolume() {
        assertNamedByItsPod(INVENTORY, "INVENTORY_GROUP_INSTANCE_ID");

        JsonNode statefulSet = INVENTORY.workload().tree().path("spec");
        String stateDir = INVENTORY.value("INVENTORY_STATE_DIR");
        List<String> claims = new ArrayList<>();
        statefulSet.path("volumeClaimTemplates").forEach(claim -> claims.add(claim.path("metadata").path("name").asText()));
        assertThat(INVENTORY.spec().path("volumeMounts")).anySatisfy(mount -> {
            assertThat(mount.path("mountPath").asText()).isEqualTo(stateDir);
            assertThat(claims).contains(mount.path("name").asText());
        });
    }

    @Test
    void inventoryInstancesAdvertiseTheirPodsNameUnderTheHeadlessService() {
        JsonNode statefulSet = INVENTORY.workload().tree().path("spec");
        String serviceName = statefulSet.path("serviceName").asText();
        JsonNode headless = Manifests.one("Service", serviceName).tree().path("spec");
        assertThat(headless.path("clusterIP").asText()).isEqualTo("None");
        assertThat(Workloads.selects(headless.path("selector"), Workloads.podLabels(INVENTORY.workload()))).isTrue();
        assertThat(INVENTORY.value("INVENTORY_ADVERTISED_HOST")).isEqualTo("$(INVENTORY_GROUP_INSTANCE_ID)." + serviceName);
        // $(VAR) is only expanded from variables defined before it.
        List<String> order = new ArrayList<>(INVENTORY.environment().keySet());
        assertThat(order.indexOf("INVENTORY_GROUP_INSTANCE_ID")).isLessThan(order.indexOf("INVENTORY_ADVERTISED_HOST"));
    }

    @Test
    void inventoryIsReadyOnlyWhenKafkaStreamsRunsAndADisruptionBudgetCoversIt() {
        assertGoesOneReadyPodAtATime(INVENTORY, 3);
    }

    @Test
    void notifierNodesAreNamedByTheirPodSoNoTwoShareAnInstanceId() {
        // Two nodes with one NOTIFY_INSTANCE_ID are one static member: the later fences the earlier,
        // which stays up delivering nothing. A pod's name is unique and survives its restarts.
        assertNamedByItsPod(NOTIFIER, "NOTIFY_INSTANCE_ID");
        assertThat(NOTIFIER.workload().tree().path("spec").path("serviceName").asText()).isNotEmpty();
    }

    @Test
    void notifierNodesAreReadyOnlyWhenDeliveringAndADisruptionBudgetCoversThem() {
        assertGoesOneReadyPodAtATime(NOTIFIER, 2);
    }

    @Test
    void everyVariableTheManifestsSetIsASettingOfTheReadme() {
        Set<String> documented = ReadmeSettings.names();
        List<String> unknown = new ArrayList<>();
        for (Container container : Workloads.containers()) {
            for (String variable : container.environment().keySet()) {
                boolean flinkImage = container.workload().kind().equals("FlinkDeployment") && FLINK_IMAGE_VARIABLES.contains(variable);
                if (!documented.contains(variable) && !flinkImage) {
                    unknown.add(container.name() + ": " + variable);
                }
            }
        }
        assertThat(unknown).isEmpty();
    }

    @Test
    void secretsComeFromSecretsThatExist() throws IOException {
        Set<String> secretSettings = ReadmeSettings.secrets();
        assertThat(secretSettings).contains("INVENTORY_API_KEYS", "KAFKA_SASL_JAAS_CONFIG", "CLICKHOUSE_PASSWORD");
        Map<String, Set<String>> generated = generatedSecrets();
        Set<String> kafkaUsers = new HashSet<>();
        Manifests.ofKind("KafkaUser").forEach(user -> kafkaUsers.add(user.name()));
        List<String> problems = new ArrayList<>();
        for (Container container : Workloads.containers()) {
            container.environment().forEach((variable, entry) -> {
                JsonNode ref = entry.path("valueFrom").path("secretKeyRef");
                if (secretSettings.contains(variable) && ref.isMissingNode()) {
                    problems.add(container.name() + ": " + variable + " is a secret, set here without a Secret");
                }
                if (ref.isMissingNode()) {
                    return;
                }
                String secret = ref.path("name").asText();
                String key = ref.path("key").asText();
                boolean fromKafkaUser = kafkaUsers.contains(secret) && Set.of("password", "sasl.jaas.config").contains(key);
                boolean fromGenerator = generated.getOrDefault(secret, Set.of()).contains(key);
                if (!fromKafkaUser && !fromGenerator) {
                    problems.add(container.name() + ": " + variable + " reads " + secret + "/" + key + ", which nothing here creates");
                }
            });
        }
        assertThat(problems).isEmpty();
        assertThat(Manifests.ofKind("Secret")).as("keys are never committed").isEmpty();
    }

    /**
     * A generated Secret's name carries a hash of its keys, so a rotated key rolls the pods reading it. Only a Secret the
     * ClickHouseInstallation names (in a string kustomize does not rewrite) keeps its plain name.
     */
    @Test
    void aChangedKeyRollsThePodsOnlyTheClickHouseCredentialsKeepTheirName() {
        assertThat(Manifests.kustomization().path("generatorOptions").path("disableNameSuffixHash").asBoolean(false))
                .as("generatorOptions.disableNameSuffixHash, for every Secret").isFalse();
        Set<String> namedByClickHouse = new HashSet<>();
        Manifests.ofKind("ClickHouseInstallation").forEach(installation -> installation.tree().path("spec").path("configuration").path("users")
                .fields().forEachRemaining(setting -> {
                    if (setting.getKey().endsWith("/k8s_secret_password")) {
                        namedByClickHouse.add(setting.getValue().asText().split("/")[0]);
                    }
                }));
        Set<String> plainNames = new HashSet<>();
        Manifests.kustomization().path("secretGenerator").forEach(generator -> {
            if (generator.path("options").path("disableNameSuffixHash").asBoolean(false)) {
                plainNames.add(generator.path("name").asText());
            }
        });
        assertThat(plainNames).isEqualTo(namedByClickHouse).containsExactly("clickhouse-credentials");
    }

    @Test
    void theKafkaUserOfEachServiceIsTheOneItsJaasLineComesFrom() {
        for (Container container : Workloads.containers()) {
            JsonNode jaas = container.environment().get("KAFKA_SASL_JAAS_CONFIG");
            if (jaas != null) {
                assertThat(Manifests.one("KafkaUser", jaas.path("valueFrom").path("secretKeyRef").path("name").asText())
                        .tree().path("spec").path("authentication").path("type").asText()).isEqualTo("scram-sha-512");
                assertThat(container.value("KAFKA_SASL_MECHANISM")).as(container.name()).isEqualTo("SCRAM-SHA-512");
            }
        }
    }

    @Test
    void aServiceListeningBeyondLoopbackHasItsApiKeys() {
        // Every service refuses to start on a non-loopback address without keys.
        List<String> checked = new ArrayList<>();
        for (Container container : Workloads.containers()) {
            container.environment().forEach((variable, entry) -> {
                if (variable.endsWith("_HTTP_HOST") && !Set.of("127.0.0.1", "localhost", "::1").contains(entry.path("value").asText())) {
                    String keys = variable.replace("_HTTP_HOST", "_API_KEYS");
                    assertThat(container.environment()).as(container.name() + " binds " + entry.path("value").asText()).containsKey(keys);
                    checked.add(keys);
                }
            });
        }
        assertThat(checked).contains("INGESTION_API_KEYS", "INVENTORY_API_KEYS", "DASHBOARD_API_KEYS", "NOTIFY_API_KEYS");
    }

    @Test
    void httpProbesAskForAHostTheServicesAnswerFor() {
        // The kubelet would send the pod's address as Host, which the services answer with 421.
        for (Container container : Workloads.containers()) {
            for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
                JsonNode get = container.spec().path(probe).path("httpGet");
                if (!get.isMissingNode()) {
                    assertThat(get.path("httpHeaders")).as(container.name() + " " + probe)
                            .anySatisfy(header -> {
                                assertThat(header.path("name").asText()).isEqualTo("Host");
                                assertThat(header.path("value").asText()).isEqualTo("localhost");
                            });
                }
            }
        }
    }

    @Test
    void everyContainerHasResourcesAndRunsUnprivileged() {
        for (Container container : Workloads.containers()) {
            JsonNode resources = container.spec().path("resources");
            if (container.workload().kind().equals("FlinkDeployment")) {
                resources = container.workload().tree().path("spec").path("taskManager").path("resource");
                assertThat(resources.path("memory").asText()).as(container.name()).isNotEmpty();
            } else {
                assertThat(resources.path("requests").path("cpu").asText()).as(container.name()).isNotEmpty();
                assertThat(resources.path("requests").path("memory").asText()).as(container.name()).isNotEmpty();
                assertThat(resources.path("limits").path("memory").asText()).as(container.name()).isNotEmpty();
                assertThat(container.spec().path("image").asText()).as(container.name()).startsWith("registry.example.com/omnistock/");
            }
            assertThat(container.podSpec().path("securityContext").path("runAsNonRoot").asBoolean()).as(container.name()).isTrue();
            assertThat(container.spec().path("securityContext").path("allowPrivilegeEscalation").asBoolean(true)).as(container.name()).isFalse();
        }
    }

    @Test
    void everyImageIsInTheKustomizationsList() {
        Set<String> listed = new HashSet<>();
        Manifests.kustomization().path("images").forEach(image -> listed.add(image.path("name").asText()));
        Set<String> used = new HashSet<>();
        Workloads.containers().forEach(container -> used.add(imageName(container.spec().path("image").asText())));
        Manifests.ofKind("FlinkDeployment").forEach(flink -> used.add(imageName(flink.tree().path("spec").path("image").asText())));
        used.removeIf(image -> image.isEmpty());
        assertThat(listed).containsExactlyInAnyOrderElementsOf(used);
    }

    @Test
    void theTopicsAreTheProjectsWithItsPartitionCounts() {
        int partitions = Integer.parseInt(Manifests.one("ConfigMap", "omnistock-connections").tree().path("data")
                .path(Topics.PARTITIONS).asText());
        Topics topics = new Topics("", partitions, Map.of("schema.registry.url", "http://unused"));
        Map<String, Manifest> declared = new HashMap<>();
        Manifests.ofKind("KafkaTopic").forEach(topic -> declared.put(topicName(topic), topic));
        assertThat(declared.keySet()).containsExactlyInAnyOrderElementsOf(topics.all().stream().map(TopicSpec::name).toList());
        for (TopicSpec<?, ?> spec : topics.all()) {
            JsonNode topic = declared.get(spec.name()).tree().path("spec");
            assertThat(topic.path("partitions").asInt()).as(spec.name()).isEqualTo(spec.partitions());
            assertThat(topic.path("config").path("cleanup.policy").asText("delete")).as(spec.name())
                    .isEqualTo(spec.compacted() ? "compact" : "delete");
            spec.configs().forEach((key, value) -> assertThat(topic.path("config").path(key).asText()).as(spec.name() + " " + key)
                    .isEqualTo(value));
            assertThat(topic.path("replicas").asInt()).as(spec.name()).isEqualTo(3);
            assertThat(declared.get(spec.name()).tree().path("metadata").path("labels").path("strimzi.io/cluster").asText())
                    .isEqualTo(Manifests.ofKind("Kafka").get(0).name());
        }
    }

    @Test
    void kafkaRunsOnKraftNodePoolsOfItsCluster() {
        String cluster = Manifests.ofKind("Kafka").get(0).name();
        Set<String> roles = new HashSet<>();
        for (Manifest pool : Manifests.ofKind("KafkaNodePool")) {
            assertThat(pool.tree().path("metadata").path("labels").path("strimzi.io/cluster").asText()).isEqualTo(cluster);
            pool.tree().path("spec").path("roles").forEach(role -> roles.add(role.asText()));
        }
        assertThat(roles).containsExactlyInAnyOrder("controller", "broker");
    }

    @Test
    void theAnalyticsJobRunsAtParallelismFourAndUpgradesFromSavepoints() {
        JsonNode flink = Manifests.one("FlinkDeployment", "analytics").tree().path("spec");
        Container job = Workloads.container("FlinkDeployment", "analytics");
        assertThat(flink.path("job").path("parallelism").asInt()).isEqualTo(4);
        assertThat(job.value("ANALYTICS_PARALLELISM")).isEqualTo("4");
        assertThat(flink.path("job").path("upgradeMode").asText()).isEqualTo("savepoint");
        assertThat(flink.path("job").path("jarURI").asText()).startsWith("local:///").endsWith("/analytics-job.jar");
        // The job and Flink agree on where checkpoints go, and the operator alone picks what to restore.
        assertThat(job.value("ANALYTICS_CHECKPOINT_DIR")).isEqualTo(flink.path("flinkConfiguration").path("execution.checkpointing.dir").asText());
        assertThat(flink.path("flinkConfiguration").path("execution.checkpointing.savepoint-dir").asText()).isNotEmpty();
        assertThat(job.value("ANALYTICS_RESTORE_FROM")).isEqualTo("none");
        assertThat(job.spec().path("name").asText()).isEqualTo("flink-main-container");
    }

    @Test
    void clickHouseClientsUseTheInstallationsServiceUsersAndCluster() {
        Manifest installation = Manifests.ofKind("ClickHouseInstallation").get(0);
        JsonNode configuration = installation.tree().path("spec").path("configuration");
        List<String> clients = new ArrayList<>();
        for (Container container : Workloads.containers()) {
            String url = container.value("CLICKHOUSE_URL");
            if (url == null) {
                continue;
            }
            clients.add(container.name());
            // The operator's Service for the whole installation is clickhouse-<name>.
            assertThat(url).as(container.name()).startsWith("jdbc:clickhouse:http://clickhouse-" + installation.name() + ":8123/");
            String user = container.value("CLICKHOUSE_USER");
            JsonNode password = container.environment().get("CLICKHOUSE_PASSWORD").path("valueFrom").path("secretKeyRef");
            assertThat(configuration.path("users").path(user + "/k8s_secret_password").asText()).as(container.name())
                    .isEqualTo(password.path("name").asText() + "/" + password.path("key").asText());

            String cluster = container.value("CLICKHOUSE_CLUSTER");
            if (cluster != null) {
                JsonNode layout = null;
                for (JsonNode candidate : configuration.path("clusters")) {
                    if (candidate.path("name").asText().equals(cluster)) {
                        layout = candidate.path("layout");
                    }
                }
                assertThat(layout).as(container.name() + ": cluster " + cluster).isNotNull();
                if ("true".equals(container.value("CLICKHOUSE_REPLICATED"))) {
                    assertThat(layout.path("replicasCount").asInt()).isGreaterThan(1);
                    // Replicated tables and ON CLUSTER DDL need the Keeper installation (its Service is keeper-<name>).
                    String keeper = "keeper-" + Manifests.ofKind("ClickHouseKeeperInstallation").get(0).name();
                    assertThat(configuration.path("zookeeper").path("nodes")).isNotEmpty()
                            .allSatisfy(node -> assertThat(node.path("host").asText()).isEqualTo(keeper));
                } else {
                    // Unreplicated, a shard is one server: the runner gives the schema to the servers listed, so a second replica would have none.
                    assertThat(layout.path("replicasCount").asInt(1)).as(container.name() + ": replicas of an unreplicated cluster").isEqualTo(1);
                    assertThat(container.value("CLICKHOUSE_SHARD_URLS")).as(container.name()).isNotBlank();
                }
            }
        }
        assertThat(clients).hasSize(2);
    }

    @Test
    void clickHouseIsReachableInsideTheClusterOnly() {
        JsonNode spec = Manifests.ofKind("ClickHouseInstallation").get(0).tree().path("spec");
        String template = spec.path("defaults").path("templates").path("serviceTemplate").asText();
        assertThat(spec.path("templates").path("serviceTemplates")).as("the installation's Service template " + template).anySatisfy(service -> {
            assertThat(service.path("name").asText()).isEqualTo(template);
            assertThat(service.path("spec").path("type").asText()).isEqualTo("ClusterIP");
            // The name the clients' CLICKHOUSE_URL uses (clickHouseClientsUseTheInstallationsServiceUsersAndCluster).
            assertThat(service.path("generateName").asText()).isEqualTo("clickhouse-{chi}");
        });
        List<String> anywhere = new ArrayList<>();
        spec.path("configuration").path("users").fields().forEachRemaining(setting -> {
            if (setting.getKey().endsWith("/networks/ip")) {
                List<JsonNode> networks = new ArrayList<>();
                if (setting.getValue().isArray()) {
                    setting.getValue().forEach(networks::add);
                } else {
                    networks.add(setting.getValue());
                }
                networks.stream().map(JsonNode::asText).filter(n -> n.endsWith("/0")).forEach(n -> anywhere.add(setting.getKey() + ": " + n));
            }
        });
        assertThat(anywhere).as("users reachable from any address").isEmpty();
    }

    @Test
    void nothingIsReachableButWhatAPolicyLetsIn() {
        assertThat(Manifests.ofKind("NetworkPolicy")).anySatisfy(policy -> {
            JsonNode spec = policy.tree().path("spec");
            assertThat(spec.path("podSelector").isEmpty()).isTrue();
            assertThat(spec.path("policyTypes").toString()).contains("Ingress");
            assertThat(spec.path("ingress").isEmpty()).isTrue();
        });
        // Every port a workload opens is let in by some rule of a policy selecting its pods.
        List<String> shut = new ArrayList<>();
        for (Manifest workload : Workloads.all()) {
            JsonNode labels = Workloads.podLabels(workload);
            for (JsonNode container : Workloads.podSpec(workload).path("containers")) {
                for (JsonNode port : container.path("ports")) {
                    boolean letIn = Manifests.ofKind("NetworkPolicy").stream()
                            .filter(policy -> Workloads.selects(policy.tree().path("spec").path("podSelector"), labels))
                            .anyMatch(policy -> lets(policy.tree().path("spec").path("ingress"), port));
                    if (!letIn) {
                        shut.add(workload + " port " + port.path("containerPort").asInt());
                    }
                }
            }
        }
        assertThat(shut).isEmpty();
    }

    /** Whether an ingress rule lets {@code port} (a containerPort entry) in: a rule without ports lets every port in. */
    private static boolean lets(JsonNode ingress, JsonNode port) {
        for (JsonNode rule : ingress) {
            if (!rule.has("ports") || rule.path("ports").isEmpty()) {
                return true;
            }
            for (JsonNode allowed : rule.path("ports")) {
                JsonNode number = allowed.path("port");
                if (number.isMissingNode() || number.asText().equals(port.path("containerPort").asText())
                        || number.asText().equals(port.path("name").asText(null))) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void selectorsPickTheirPods() {
        for (Manifest workload : Workloads.all()) {
            if (!workload.kind().equals("FlinkDeployment")) {
                assertThat(Workloads.selects(workload.tree().path("spec").path("selector"), Workloads.podLabels(workload))).as(workload.toString()).isTrue();
            }
        }
        for (Manifest service : Manifests.ofKind("Service")) {
            // A Service without a selector selects no pod (its endpoints are managed by hand), not every pod.
            assertThat(service.tree().path("spec").path("selector").isEmpty()).as(service + " has a selector").isFalse();
            assertThat(Workloads.all()).as(service.toString()).anySatisfy(workload ->
                    assertThat(Workloads.selects(service.tree().path("spec").path("selector"), Workloads.podLabels(workload))).isTrue());
        }
    }

    /** {@code variable} is the pod's own name, set once (a later entry of the same name would win). */
    private static void assertNamedByItsPod(Container container, String variable) {
        List<JsonNode> entries = new ArrayList<>();
        container.spec().path("env").forEach(entry -> {
            if (entry.path("name").asText().equals(variable)) {
                entries.add(entry);
            }
        });
        assertThat(entries).as(container.name() + " sets " + variable + " once").hasSize(1);
        assertThat(entries.get(0).path("valueFrom").path("fieldRef").path("fieldPath").asText()).as(container.name() + " " + variable)
                .isEqualTo("metadata.name");
    }

    /** Readiness on /health/ready, at least {@code replicas} pods, and a budget that lets one go at a time. */
    private static void assertGoesOneReadyPodAtATime(Container container, int replicas) {
        assertThat(container.spec().path("readinessProbe").path("httpGet").path("path").asText()).as(container.name()).isEqualTo("/health/ready");
        assertThat(container.workload().tree().path("spec").path("replicas").asInt()).as(container.name()).isGreaterThanOrEqualTo(replicas);
        assertThat(Manifests.ofKind("PodDisruptionBudget")).as(container.name()).anySatisfy(budget -> {
            assertThat(Workloads.selects(budget.tree().path("spec").path("selector"), Workloads.podLabels(container.workload()))).isTrue();
            assertThat(budget.tree().path("spec").path("maxUnavailable").asInt()).isEqualTo(1);
        });
    }

    private static String topicName(Manifest topic) {
        return topic.tree().path("spec").path("topicName").asText(topic.name());
    }

    private static String imageName(String image) {
        int tag = image.lastIndexOf(':');
        return tag > image.lastIndexOf('/') ? image.substring(0, tag) : image;
    }

    /** Secret name to its keys, from the kustomization's secretGenerator and the example files beside it. */
    private static Map<String, Set<String>> generatedSecrets() throws IOException {
        Map<String, Set<String>> secrets = new HashMap<>();
        for (JsonNode generator : Manifests.kustomization().path("secretGenerator")) {
            Set<String> keys = new HashSet<>();
            for (JsonNode envFile : generator.path("envs")) {
                for (String line : Files.readAllLines(Manifests.dir().resolve(envFile.asText() + ".example"))) {
                    if (!line.isBlank() && !line.startsWith("#")) {
                        keys.add(line.substring(0, line.indexOf('=')));
                    }
                }
            }
            secrets.put(generator.path("name").asText(), keys);
        }
        return secrets;
    }
}
