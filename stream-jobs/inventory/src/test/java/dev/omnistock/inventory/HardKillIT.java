package dev.omnistock.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnistock.config.Config;
import dev.omnistock.generator.GroundTruth;
import dev.omnistock.generator.Workload;
import dev.omnistock.serde.AvroSerializer;
import dev.omnistock.testsupport.ChildJvm;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import dev.omnistock.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inventory service killed with SIGKILL at random moments under a generated load, and restarted each
 * time: afterwards every SKU's position equals the generator's ground truth and every order has exactly
 * the decision the truth gives it (scarce stock: some are refused), and none has two; and what order-status told each
 * order, read committed, holds to the README's status table from the truth's facts, without gaps, repeated change ids or
 * a final status left for another. The short version runs in CI; the long one is the same test with more kills:
 * {@code KILL_TEST_KILLS=20 KILL_TEST_EVENTS=200000 KILL_TEST_RATE=2000 KILL_TEST_SETTLE_SECONDS=900 ./mvnw -pl stream-jobs/inventory -am verify -Dit.test=HardKillIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}
 * (docs/reliability.md).
 */
@ExtendWith(RealStackExtension.class)
class HardKillIT {

    private static final Logger log = LoggerFactory.getLogger(HardKillIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void hardKillsUnderLoadLeaveTheLedgerAtTheGroundTruth(RealStack stack, TestNamespace ns, @TempDir Path state) throws Exception {
        Config settings = Config.fromEnvironment();
        int kills = settings.getInt("KILL_TEST_KILLS", 2);
        int events = settings.getInt("KILL_TEST_EVENTS", 40_000);
        int rate = settings.getInt("KILL_TEST_RATE", 3_000);
        long seed = Long.parseLong(settings.get("KILL_TEST_SEED", Long.toString(System.nanoTime())));
        log.info("Hard-kill test: {} kills over {} events at {}/s, seed {} (KILL_TEST_SEED reruns it)", kills, events, rate, seed);
        Random random = new Random(seed);

        Map<String, String> env = Instances.childEnvironment(stack, ns, state, 3);
        env.put("INVENTORY_GROUP_INSTANCE_ID", ns.topic("inventory-1"));
        InventoryConfig config = InventoryConfig.from(Config.of(env));
        Topics topics = config.topics();
        ChildJvm service = new ChildJvm("service", Path.of("target/inventory-service.jar"), env,
                Path.of("target/hard-kill/" + ns.topicPrefix()), "-Xmx512m");
        String api = "http://127.0.0.1:" + env.get("INVENTORY_HTTP_PORT");

        // A large catalogue: its opening counts take seconds to send, so a kill leaves counts and orders queued together.
        // Scarce: every fourth SKU starts with a few units, so orders are refused, cancelled in part, returned and retried.
        Workload workload = new Workload(new Workload.Settings(settings.getInt("KILL_TEST_SKUS", 1_000), settings.getInt("KILL_TEST_LOCATIONS", 8),
                seed, Workload.Mode.SCARCE, Instant.now().truncatedTo(ChronoUnit.MILLIS), 3));
        AtomicLong sent = new AtomicLong();
        AtomicReference<Exception> loadFailure = new AtomicReference<>();
        List<Long> millisToReady = new ArrayList<>();
        try {
            service.start();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> ChildJvm.answers200(api + "/health/ready"));

            Thread load = new Thread(() -> send(config, workload, events, rate, sent, loadFailure), "hard-kill-load");
            load.start();
            long loadMillis = events * 1000L / rate;
            for (int k = 0; k < kills; k++) {
                // A random moment within this kill's share of the load, at least a second after the last restart.
                long wait = 1_000 + (long) (random.nextDouble() * Math.max(1, loadMillis / kills - 1_000));
                TimeUnit.MILLISECONDS.sleep(wait);
                service.killHard();
                long killedAt = System.nanoTime();
                log.info("Kill {} of {}: SIGKILL after {} of {} events", k + 1, kills, sent.get(), events);
                service.start();
                await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(100)).until(() -> ChildJvm.answers200(api + "/health/ready"));
                millisToReady.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));
                log.info("Kill {}: serving again {} ms after the kill", k + 1, millisToReady.get(k));
            }
            load.join();
            assertThat(loadFailure.get()).as("sending the load").isNull();

            GroundTruth truth = workload.truth();
            // Long runs leave a backlog behind their last kill: give them longer (KILL_TEST_SETTLE_SECONDS).
            await().atMost(Duration.ofSeconds(settings.getInt("KILL_TEST_SETTLE_SECONDS", 240))).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                Map<String, JsonNode> positions = positions(api, List.copyOf(truth.positions.keySet()));
                List<String> wrong = new ArrayList<>();
                truth.positions.forEach((sku, expected) -> {
                    JsonNode network = positions.containsKey(sku) ? positions.get(sku).get("network") : null;
                    if (network == null || network.get("onHand").asLong() != expected.onHand
                            || network.get("committed").asLong() != expected.committed
                            || network.get("unavailable").asLong() != expected.unavailable) {
                        wrong.add(sku + " expected " + expected.onHand + "/" + expected.committed + "/" + expected.unavailable
                                + " (on_hand/committed/unavailable), was " + network);
                    }
                });
                assertThat(wrong).as("SKUs whose position is not the ground truth (%d of %d)", wrong.size(), truth.positions.size())
                        .isEmpty();
            });

            // The order side decides after the SKU side's answers: its last decisions may follow the positions.
            await().atMost(Duration.ofSeconds(settings.getInt("KILL_TEST_SETTLE_SECONDS", 240))).pollInterval(Duration.ofSeconds(2))
                    .untilAsserted(() -> GroundTruthDecisions.assertMatch(stack.kafkaBootstrapServers(), topics.orderDecisions(), truth));
            // Status changes follow the decisions within the same transactions; the ones the truth's last facts make may come later.
            await().atMost(Duration.ofSeconds(settings.getInt("KILL_TEST_SETTLE_SECONDS", 240))).pollInterval(Duration.ofSeconds(2))
                    .untilAsserted(() -> GroundTruthDecisions.assertStatusTold(stack.kafkaBootstrapServers(), topics.orderStatus(), truth));
            log.info("Hard-kill test passed: {} kills, {} events, {} SKUs and {} orders exact ({} refused), {} orders told right; ms from kill to ready: {}",
                    kills, events, truth.positions.size(), truth.decisions.size(),
                    truth.decisions.values().stream().filter("REJECTED"::equals).count(), truth.orders.size(), millisToReady);
        } finally {
            service.stop();
        }
    }

    static void send(InventoryConfig config, Workload workload, int events, int rate, AtomicLong sent,
                             AtomicReference<Exception> failure) {
        Topics topics = config.topics();
        Map<String, Object> props = new HashMap<>(config.kafka().clientProperties());
        props.putAll(config.registryConfig());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class);
        long started = System.nanoTime();
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < events; i++) {
                long due = started + TimeUnit.SECONDS.toNanos(1) * i / rate;
                long early = due - System.nanoTime();
                if (early > 0) {
                    TimeUnit.NANOSECONDS.sleep(early);
                }
                Workload.Keyed next = workload.next();
                String topic = next.isOrder() ? topics.orders().name() : topics.stockMovements().name();
                producer.send(new ProducerRecord<>(topic, next.key(), (SpecificRecord) next.event()), (metadata, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                });
                sent.incrementAndGet();
            }
            producer.flush();
        } catch (Exception e) {
            failure.compareAndSet(null, e);
        }
    }

    /** Network positions through the API's batch endpoint (any instance answers for every SKU). */
    static Map<String, JsonNode> positions(String api, List<String> skus) throws Exception {
        Map<String, JsonNode> bySku = new HashMap<>();
        for (int from = 0; from < skus.size(); from += 500) {
            String body = JSON.writeValueAsString(Map.of("skus", skus.subList(from, Math.min(skus.size(), from + 500))));
            for (JsonNode found : JSON.readTree(ChildJvm.post(api + "/v1/availability/batch", body)).get("found")) {
                bySku.put(found.get("sku").asText(), found);
            }
        }
        return bySku;
    }
}
