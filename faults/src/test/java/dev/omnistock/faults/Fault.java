package dev.omnistock.faults;

import dev.omnistock.testsupport.ChildJvm;
import dev.omnistock.testsupport.StackControl;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One kind of fault the suite injects, and how. Durations are the fault's own length, not waits for a condition. */
enum Fault {

    INVENTORY_KILL("kill -9 the inventory service, restart it") {
        @Override
        void inject(Context c) throws Exception {
            c.product().inventory.killHard();
            c.product().inventory.start();
            c.product().awaitInventoryReady();
        }
    },
    INVENTORY_PAUSE("kill -STOP the inventory service beyond its transaction timeout, then -CONT") {
        @Override
        void inject(Context c) throws Exception {
            c.product().inventory.pause();
            TimeUnit.SECONDS.sleep(c.pauseSeconds());
            c.product().inventory.resume();
            c.product().awaitInventoryReady();
        }
    },
    ANALYTICS_KILL("kill -9 the analytics job (embedded Flink), restart it from its last checkpoint") {
        @Override
        void inject(Context c) throws Exception {
            c.product().analytics.killHard();
            c.product().analytics.start();
        }
    },
    TASKMANAGER_KILL("kill -9 the task manager of the Flink session cluster running the analytics job, start a new one") {
        @Override
        void inject(Context c) throws Exception {
            c.product().flink.killTaskManager();
            c.product().flink.startTaskManager();
        }

        @Override
        boolean appliesTo(Setup setup) {
            return setup.analyticsOnCluster() && setup.kafkaNodes() == 1;
        }
    },
    INGESTION_KILL("kill -9 an ingestion instance with requests in flight; clients retry with the same Idempotency-Key") {
        @Override
        void inject(Context c) throws Exception {
            ChildJvm first = c.product().ingestion.get(0);
            first.killHard();
            TimeUnit.SECONDS.sleep(2); // a while down: requests fail over to the other instance
            first.start();
            String url = c.product().ingestionUrls.get(0);
            Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> ChildJvm.answers200(url + "/health/live"));
        }
    },
    NOTIFIER_KILL("kill -9 the notifier with deliveries in flight, restart it") {
        @Override
        void inject(Context c) throws Exception {
            c.product().notifier.killHard();
            // Once it is dead: what the receiver acknowledged before this moment may come again (the crash window).
            c.notifierKills().add(Instant.now());
            c.product().notifier.start();
            c.product().awaitNotifierReady();
        }
    },
    RECEIVER_OUTAGE("the webhook receiver answers 503, then 2xx again; the notifier retries") {
        @Override
        void inject(Context c) throws Exception {
            c.receiver().refuse(true);
            TimeUnit.SECONDS.sleep(c.outageSeconds());
            c.receiver().refuse(false);
        }
    },
    REGISTRY_OUTAGE("stop the schema registry, start it again") {
        @Override
        void inject(Context c) throws Exception {
            outage(c, "registry");
        }
    },
    CLICKHOUSE_OUTAGE("stop ClickHouse, start it again") {
        @Override
        void inject(Context c) throws Exception {
            outage(c, "clickhouse");
        }
    },
    BROKER_OUTAGE("stop the (single) Kafka broker, start it again") {
        @Override
        void inject(Context c) throws Exception {
            outage(c, "kafka");
        }
    },
    BROKER_KILL("kill -9 one broker of the three-node cluster under load, restart it") {
        @Override
        void inject(Context c) throws Exception {
            List<String> nodes = c.stack().kafkaParts();
            String node = nodes.get(c.random().nextInt(nodes.size()));
            log.info("Killing Kafka node {}", node);
            c.stack().kill(node);
            // Down long enough for leaders to move and the in-sync replicas to shrink to two.
            TimeUnit.SECONDS.sleep(c.outageSeconds());
            c.stack().start(node);
        }

        @Override
        boolean appliesTo(Setup setup) {
            return !setup.analyticsOnCluster() && setup.kafkaNodes() == 3;
        }
    },
    BAD_RECORDS("malformed bytes, an unknown schema id and an incompatible schema on orders and stock-movements") {
        @Override
        void inject(Context c) throws Exception {
            c.badRecords().send();
        }
    };

    private static final Logger log = LoggerFactory.getLogger(Fault.class);
    private final String description;

    Fault(String description) {
        this.description = description;
    }

    String description() {
        return description;
    }

    abstract void inject(Context c) throws Exception;

    /** Most faults are injected with one broker and the analytics job embedded; each other setup has its own. */
    boolean appliesTo(Setup setup) {
        return !setup.analyticsOnCluster() && setup.kafkaNodes() == 1;
    }

    private static void outage(Context c, String part) throws InterruptedException {
        c.stack().stop(part);
        TimeUnit.SECONDS.sleep(c.outageSeconds());
        c.stack().start(part);
    }

    /** What a fault acts on. */
    record Context(Product product, StackControl stack, BadRecords badRecords, NoticeReceiver receiver, List<Instant> notifierKills,
                   int outageSeconds, int pauseSeconds, Random random) {
    }

    /** Where the product runs: its analytics job on a Flink session cluster or embedded; one Kafka node or three. */
    record Setup(boolean analyticsOnCluster, int kafkaNodes) {
    }
}
