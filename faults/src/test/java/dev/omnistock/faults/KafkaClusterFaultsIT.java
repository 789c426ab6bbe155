package dev.omnistock.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.StackControl;
import dev.omnistock.testsupport.TestNamespace;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fault suite on a cluster of three Kafka nodes ({@link FaultRun}): one broker killed with -9 under load
 * and restarted. Run by the failsafe execution {@code kafka-cluster} of this module, whose test JVM starts
 * the three-node stack.
 */
@ExtendWith(RealStackExtension.class)
class KafkaClusterFaultsIT {

    @Test
    void theProductRidesOutABrokerKilledUnderLoad(RealStack stack, TestNamespace ns, StackControl control) throws Exception {
        assertThat(control.kafkaParts()).as("this test needs the three-node stack of the failsafe execution kafka-cluster "
                + "(-Domnistock.test.stack.kafka-nodes=3)").hasSize(3);

        FaultRun.run("fault-suite-kafka-cluster", stack, ns, control, false);

        // The kill proved something only if every topic the product made, its own and Kafka Streams', is on all three nodes.
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()))) {
            Set<String> names = admin.listTopics().names().get();
            List<String> products = names.stream().filter(name -> name.startsWith(ns.topicPrefix())).toList();
            assertThat(products).as("the product's topics").isNotEmpty();
            Collection<TopicDescription> topics = admin.describeTopics(products).allTopicNames().get().values();
            assertThat(topics).allSatisfy(topic -> assertThat(topic.partitions())
                    .allSatisfy(partition -> assertThat(partition.replicas()).as(topic.name()).hasSize(3)));
            List<ConfigResource> resources = products.stream().map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
            Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get();
            assertThat(configs).allSatisfy((resource, config) -> assertThat(config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value())
                    .as(resource.name()).isEqualTo("2"));
        }
    }
}
