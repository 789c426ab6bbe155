package dev.omnistock.topics;

import dev.omnistock.serde.SchemaRegistry;
import dev.omnistock.serde.SchemaRegistryException;
import dev.omnistock.serde.Subjects;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a cluster ready: creates the topics that are missing (existing ones are left as they are) and
 * registers each Avro value schema with BACKWARD compatibility on its subject, so that a consumer on
 * the new schema can always read what was written before.
 */
public final class TopicProvisioner {

    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);
    public static final String COMPATIBILITY = "BACKWARD";

    private final Admin admin;
    private final SchemaRegistry registry;

    public TopicProvisioner(Admin admin, SchemaRegistry registry) {
        this.admin = admin;
        this.registry = registry;
    }

    public void provision(List<TopicSpec<?, ?>> topics) {
        createMissingTopics(topics);
        for (TopicSpec<?, ?> topic : topics) {
            topic.valueSchema().ifPresent(schema -> {
                String subject = Subjects.valueSubject(topic.name());
                for (int attempt = 1; ; attempt++) {
                    try {
                        registry.setCompatibility(subject, COMPATIBILITY);
                        int id = registry.register(subject, schema);
                        log.info("Subject {} has {} as schema id {} ({} compatibility)", subject, schema.getFullName(), id, COMPATIBILITY);
                        return;
                    } catch (SchemaRegistryException e) {
                        // Services starting together race to create the same subject and rule; the loser's
                        // second attempt finds them there. An unreachable registry (-1) is not retried here.
                        if (e.httpStatus() == -1 || attempt == 3) {
                            throw e;
                        }
                        log.info("Subject {}: {}; trying again", subject, e.getMessage());
                    }
                }
            });
        }
    }

    /** How long new topics may take to answer from their leaders before starting fails. */
    private static final Duration LEADER_WAIT = Duration.ofSeconds(60);

    private void createMissingTopics(List<TopicSpec<?, ?>> topics) {
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = topics.stream()
                    .filter(t -> !existing.contains(t.name()))
                    .map(TopicProvisioner::newTopic)
                    .toList();
            if (missing.isEmpty()) {
                return;
            }
            Map<String, KafkaFuture<Void>> created = admin.createTopics(missing).values();
            for (NewTopic topic : missing) {
                try {
                    created.get(topic.name()).get();
                    log.info("Created topic {} ({} partitions)", topic.name(), topic.numPartitions());
                } catch (ExecutionException e) {
                    // Services starting together race to create the same topics: the loser finds it there.
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            awaitLeaders(missing);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not create topics (does this principal have CREATE on the cluster?): "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        }
    }

    /**
     * Returns once every partition of the new topics answers from its leader. A topic is created before
     * its leader's broker has applied it; an idempotent producer that writes at once can have its first
     * request refused (not the leader) and a later one accepted, after which the first fails for ever on
     * its sequence number and its records are lost when it expires (KAFKA-15591). A ListOffsets request
     * needs the partition on its leader, as a produce request does. Right after the create the broker may not
     * know the topic at all yet (a metadata error the admin client does not retry itself): tried again until
     * {@link #LEADER_WAIT}.
     */
    private void awaitLeaders(List<NewTopic> created) throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        for (NewTopic topic : created) {
            for (int p = 0; p < topic.numPartitions(); p++) {
                partitions.put(new TopicPartition(topic.name(), p), OffsetSpec.latest());
            }
        }
        long deadline = System.nanoTime() + LEADER_WAIT.toNanos();
        while (true) {
            try {
                admin.listOffsets(partitions).all().get();
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static NewTopic newTopic(TopicSpec<?, ?> spec) {
        // Replication factor: the broker's default.replication.factor.
        NewTopic topic = new NewTopic(spec.name(), Optional.of(spec.partitions()), Optional.empty());
        Map<String, String> configs = new HashMap<>(spec.configs());
        if (spec.compacted()) {
            configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        }
        return topic.configs(configs);
    }
}
