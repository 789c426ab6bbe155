package dev.omnistock.topics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnistock.config.KafkaConnection;
import dev.omnistock.config.SchemaRegistryConnection;
import dev.omnistock.serde.SchemaRegistry;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RealStackExtension.class)
class TopicProvisionerIT {

    @Test
    void createsEveryTopicAndRegistersEveryValueSchema(RealStack stack, TestNamespace ns) throws Exception {
        Map<String, Object> registryConfig = SchemaRegistryConnection.at(stack.schemaRegistryUrl()).serdeConfig();
        Topics topics = new Topics(ns.topicPrefix(), 2, registryConfig);
        SchemaRegistry registry = SchemaRegistry.connect(registryConfig);

        try (Admin admin = Admin.create(KafkaConnection.plaintext(stack.kafkaBootstrapServers()).clientProperties())) {
            TopicProvisioner provisioner = new TopicProvisioner(admin, registry);
            provisioner.provision(topics.all());
            provisioner.provision(topics.all()); // running it again changes nothing

            List<String> names = topics.all().stream().map(TopicSpec::name).toList();
            Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get();
            // The project's partitions, but for the notifier's state topics: one partition each.
            for (TopicSpec<?, ?> topic : topics.all()) {
                assertThat(described.get(topic.name()).partitions()).as(topic.name()).hasSize(topic.partitions());
            }
            assertThat(topics.orders().partitions()).isEqualTo(2);
            assertThat(topics.notifyDeliveries().partitions()).isEqualTo(1);

            ConfigResource positions = new ConfigResource(ConfigResource.Type.TOPIC, topics.inventoryAvailability().name());
            Config config = admin.describeConfigs(List.of(positions)).all().get().get(positions);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
            // A subscription's tombstone outlives a record of it written after it (the notifier's window, SubscriptionStore).
            ConfigResource subscriptions = new ConfigResource(ConfigResource.Type.TOPIC, topics.notifySubscriptions().name());
            Config subscriptionsConfig = admin.describeConfigs(List.of(subscriptions)).all().get().get(subscriptions);
            assertThat(subscriptionsConfig.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(subscriptionsConfig.get("min.compaction.lag.ms").value())
                    .isEqualTo(Long.toString(Topics.NOTIFY_SUBSCRIPTIONS_COMPACTION_LAG.toMillis())).isEqualTo("604800000");
        }
        for (TopicSpec<?, ?> topic : topics.all()) {
            topic.valueSchema().ifPresent(schema ->
                    assertThat(registry.latestSchema(topic.name() + "-value")).isEqualTo(schema));
        }
    }
}
