package dev.omnistock.inventory;

import static org.awaitility.Awaitility.await;

import dev.omnistock.serde.AvroSerializer;
import dev.omnistock.testsupport.FreePorts;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.TestNamespace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;

/** Instances of the inventory service sharing the work, as the API tests start them. */
final class Instances {

    private Instances() {
    }

    /** Starts each and waits until all run and each knows the others (so requests are routed). */
    static void startTogether(Duration timeout, InventoryService... instances) {
        Arrays.stream(instances).forEach(InventoryService::start);
        await().atMost(timeout).until(() -> Arrays.stream(instances).allMatch(i -> i.streams().state() == KafkaStreams.State.RUNNING)
                && instances[0].streams().metadataForAllStreamsClients().size() == instances.length);
    }

    /** The environment of one instance run as a child JVM on the test's stack and topics, on a free port. */
    static Map<String, String> childEnvironment(RealStack stack, TestNamespace ns, Path state, int partitions) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers());
        env.put("SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl());
        env.put("OMNISTOCK_TOPIC_PREFIX", ns.topicPrefix());
        env.put("OMNISTOCK_TOPIC_PARTITIONS", Integer.toString(partitions));
        env.put("INVENTORY_APPLICATION_ID", ns.topic("inventory"));
        env.put("INVENTORY_STATE_DIR", state.toString());
        env.put("INVENTORY_HTTP_PORT", Integer.toString(FreePorts.one()));
        return env;
    }

    /** A producer of Avro events to the instances' topics. */
    static <V> KafkaProducer<String, V> producer(InventoryConfig config) {
        Map<String, Object> props = new HashMap<>(config.kafka().clientProperties());
        props.putAll(config.registryConfig());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class);
        return new KafkaProducer<>(props);
    }
}
