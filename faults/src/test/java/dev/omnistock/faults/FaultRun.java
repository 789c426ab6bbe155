package dev.omnistock.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.omnistock.clickhouse.ClickHouseConnection;
import dev.omnistock.config.Config;
import dev.omnistock.events.Channel;
import dev.omnistock.events.FulfillmentMethod;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.events.OrderLine;
import dev.omnistock.events.OrderPlaced;
import dev.omnistock.generator.ApiSender;
import dev.omnistock.generator.GroundTruth;
import dev.omnistock.generator.Workload;
import dev.omnistock.serde.AvroSerializer;
import dev.omnistock.testsupport.ChildJvm;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.StackControl;
import dev.omnistock.testsupport.TestNamespace;
import dev.omnistock.topics.Topics;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the fault suite: the whole product (inventory service, two ingestion instances, analytics job,
 * notifier) under a scarce-stock workload sent through the ingestion API, while faults are injected one at a
 * time at random moments, each {@code FAULTS_ROUNDS} times. After each fault the run waits for the product to
 * settle and holds it to the generator's ground truth, so that what a fault cost is known fault by fault: every
 * SKU's position, every order's one decision, no good record dead-lettered and every bad one with its
 * reason, every order-status change and alert delivered to the webhook receiver, none twice outside the
 * notifier's crash window. At the end the analytics job's demand in ClickHouse (read with FINAL) is held to the
 * truth of the whole run, its order_status_changes and the dashboard's funnel to the order-status topic, which
 * must tell each order's status as the README's table gives it from the truth's facts, gapless; no transaction may be open, and every component must be up. It prints the table
 * docs/reliability.md keeps and writes it to {@code target/<name>-result.md}.
 */
final class FaultRun {

    private static final Logger log = LoggerFactory.getLogger(FaultRun.class);
    private static final String CLOCK = "CLOCK-";
    private static final int LOCATIONS = 4;
    /**
     * A notice the receiver acknowledged this long before a notifier kill may come again after it: the notifier writes
     * a delivery's state right after the 2xx, which on this loaded machine takes well under this (acks=all, one broker).
     */
    private static final Duration CRASH_WINDOW = Duration.ofSeconds(10);

    private FaultRun() {
    }

    /** @param analyticsOnCluster the analytics job on a Flink session cluster (else embedded in a JVM of its own) */
    static void run(String name, RealStack stack, TestNamespace ns, StackControl control, boolean analyticsOnCluster) throws Exception {
        Fault.Setup setup = new Fault.Setup(analyticsOnCluster, control.kafkaParts().size());
        Config settings = Config.fromEnvironment();
        int rounds = settings.getInt("FAULTS_ROUNDS", 1);
        int eventsPerFault = settings.getInt("FAULTS_EVENTS_PER_FAULT", 600);
        int rate = settings.getInt("FAULTS_RATE", 60);
        int outageSeconds = settings.getInt("FAULTS_OUTAGE_SECONDS", 30);
        int pauseSeconds = settings.getInt("FAULTS_PAUSE_SECONDS", 15);
        Duration settle = Duration.ofSeconds(settings.getInt("FAULTS_SETTLE_SECONDS", 240));
        long seed = Long.parseLong(settings.get("FAULTS_SEED", Long.toString(System.nanoTime())));
        List<Fault> chosen = settings.find("FAULTS_ONLY").map(only -> Arrays.stream(only.split(",")).map(String::trim).map(Fault::valueOf).toList())
                .orElse(List.of(Fault.values()));
        List<Fault> faults = chosen.stream().filter(f -> f.appliesTo(setup)).toList();
        if (faults.isEmpty()) {
            log.info("{}: none of FAULTS_ONLY {} applies to {}", name, chosen, setup);
            return;
        }
        log.info("{}: {} round(s) of {}, {} events per fault at {}/s, outages {} s, seed {} (FAULTS_SEED reruns it)",
                name, rounds, faults, eventsPerFault, rate, outageSeconds, seed);
        Random random = new Random(seed);

        Path workDir = Files.createDirectories(Path.of("target", name, ns.topicPrefix()).toAbsolutePath());
        Instant runStart = Instant.now();
        NoticeReceiver receiver = new NoticeReceiver();
        List<Instant> notifierKills = new CopyOnWriteArrayList<>();
        Product product = new Product(stack, ns, workDir, analyticsOnCluster, receiver);
        Topics topics = Topics.from(Config.of(product.shared));
        Observed observed = new Observed(topics, stack.kafkaBootstrapServers(), product.inventoryUrl);
        int skus = settings.getInt("FAULTS_SKUS", 200);
        Workload workload = new Workload(new Workload.Settings(skus, LOCATIONS, seed, Workload.Mode.SCARCE,
                Instant.now().truncatedTo(ChronoUnit.MILLIS), 3));
        Map<Fault, Row> table = new EnumMap<>(Fault.class);
        Set<BadRecords.Origin> deadLettered = new HashSet<>();
        Observed.Units lastPositions = new Observed.Units(0, 0, List.of());
        Observed.Decisions lastDecisions = new Observed.Decisions(0, 0, List.of());
        Observed.Notices lastNotices = new Observed.Notices(0, 0, 0, 0, List.of());
        Observed.Units demand;
        Observed.Units statusChanges;
        Observed.Funnel funnel;
        int changeCount;
        List<String> statusProblems;
        Observed.Notices notices;
        List<String> open;
        List<String> down = new ArrayList<>();
        try (BadRecords bad = new BadRecords(product.shared, topics); Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()))) {
            Fault.Context context = new Fault.Context(product, control, bad, receiver, notifierKills, outageSeconds, pauseSeconds, random);
            product.start();
            // The catalogue's opening counts first, so that every fault's share of the load holds orders.
            send(workload, skus * LOCATIONS, 0, product.ingestionUrls);
            for (int round = 1; round <= rounds; round++) {
                List<Fault> order = new ArrayList<>(faults);
                Collections.shuffle(order, random);
                for (Fault fault : order) {
                    // The load runs while the fault strikes, at a random moment within it.
                    CompletableFuture<Void> load = CompletableFuture.runAsync(() -> send(workload, eventsPerFault, rate, product.ingestionUrls));
                    long loadMillis = eventsPerFault * 1000L / rate;
                    TimeUnit.MILLISECONDS.sleep(500 + (long) (random.nextDouble() * Math.max(1, loadMillis - 1_000)));
                    log.info("Round {}: injecting {} ({})", round, fault, fault.description());
                    long injected = System.nanoTime();
                    fault.inject(context);
                    load.get(15, TimeUnit.MINUTES);

                    GroundTruth truth = workload.truth();
                    Observed.Units positions;
                    Observed.Decisions decisions;
                    try {
                        await().atMost(settle).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                                .until(() -> observed.positions(truth).exact() && observed.decisions(truth, CLOCK).exact()
                                        && notices(observed, receiver, notifierKills).lost() == 0);
                    } catch (org.awaitility.core.ConditionTimeoutException e) {
                        log.error("{}: the product did not settle at the ground truth within {}", fault, settle);
                    }
                    positions = observed.positions(truth);
                    decisions = observed.decisions(truth, CLOCK);
                    Observed.Notices delivered = notices(observed, receiver, notifierKills);
                    Set<BadRecords.Origin> letters = observed.unreadableDeadLetters();
                    letters.removeAll(deadLettered);
                    deadLettered.addAll(letters);
                    Row row = table.computeIfAbsent(fault, f -> new Row());
                    row.injected++;
                    row.settledMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - injected));
                    row.lost += Math.max(0, positions.lost() - lastPositions.lost());
                    row.doubled += Math.max(0, positions.doubled() - lastPositions.doubled());
                    row.undecided += Math.max(0, decisions.missing() + decisions.extra() - lastDecisions.missing() - lastDecisions.extra());
                    row.deadLettered += letters.size();
                    row.noticesLost += Math.max(0, delivered.lost() - lastNotices.lost());
                    row.noticesRepeated += Math.max(0, delivered.repeated() - lastNotices.repeated());
                    log.info("{}: settled in {} ms; positions lost {} doubled {} {}; decisions {}; notices {}", fault,
                            row.settledMillis.get(row.settledMillis.size() - 1), positions.lost(), positions.doubled(), positions.examples(),
                            decisions, delivered);
                    lastPositions = positions;
                    lastDecisions = decisions;
                    lastNotices = delivered;
                }
            }

            // Push the analytics job's watermark past the run, so that its last minutes are written, then compare.
            // The clock order's own minute stays open (nothing comes after it), so its unit is in no row.
            // The funnel counts the orders placed before the clock order: it is placed minutes ahead, after runEnd.
            Instant runEnd = Instant.now();
            sendClockOrder(product, topics);
            GroundTruth truth = workload.truth();
            ClickHouseConnection clickHouseAt = ClickHouseConnection.at(ns.clickHouseJdbcUrl());
            try (Connection clickHouse = clickHouseAt.open()) {
                try {
                    await().atMost(settle).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                            .until(() -> Observed.demand(clickHouse, truth).exact());
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    log.error("ClickHouse's demand did not reach the ground truth within {}", settle);
                }
                demand = Observed.demand(clickHouse, truth);
                try {
                    await().atMost(settle).pollInterval(Duration.ofSeconds(2)).ignoreExceptions().until(() -> {
                        List<Observed.Change> changes = observed.orderStatus();
                        return Observed.statusChanges(clickHouse, changes).exact() && Observed.funnel(clickHouseAt, changes, runStart, runEnd).units().exact()
                                && notices(observed, receiver, notifierKills).lost() == 0 && observed.statusProblems(truth, CLOCK).isEmpty();
                    });
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    log.error("order-status did not tell the facts, or order_status_changes, the funnel or the notices did not match it, within {}", settle);
                }
                List<Observed.Change> changes = observed.orderStatus();
                changeCount = changes.size();
                statusProblems = observed.statusProblems(truth, CLOCK);
                statusChanges = Observed.statusChanges(clickHouse, changes);
                funnel = Observed.funnel(clickHouseAt, changes, runStart, runEnd);
                notices = notices(observed, receiver, notifierKills);
            }
            List<String> stillOpen = new ArrayList<>();
            try {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                    stillOpen.clear();
                    stillOpen.addAll(Observed.openTransactions(admin));
                    return stillOpen.isEmpty();
                });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                log.error("Transactions still open: {}", stillOpen);
            }
            open = List.copyOf(stillOpen);
            if (!ChildJvm.answers200(product.inventoryUrl + "/health/live")) {
                down.add("inventory");
            }
            for (String url : product.ingestionUrls) {
                if (!ChildJvm.answers200(url + "/health/live")) {
                    down.add("ingestion " + url);
                }
            }
            if (!product.analyticsRunning()) {
                down.add("analytics");
            }
            if (!ChildJvm.answers200(product.notifierUrl + "/health/live")) {
                down.add("notifier");
            }

            Set<BadRecords.Origin> goodDeadLettered = new HashSet<>(deadLettered);
            goodDeadLettered.removeAll(bad.sent());
            Set<BadRecords.Origin> badMissing = new HashSet<>(bad.sent());
            badMissing.removeAll(deadLettered);
            // Requests the receiver answered just before each kill: the deliveries the kill caught in flight, or close to it.
            List<Long> answeredBeforeKills = notifierKills.stream().map(kill -> receiver.deliveries().stream()
                    .filter(d -> d.answeredAt().isAfter(kill.minusSeconds(2)) && !d.answeredAt().isAfter(kill)).count()).toList();
            Whole whole = new Whole(demand, statusChanges, changeCount, funnel, notices, statusProblems, receiver.unsigned(), answeredBeforeKills);
            String report = report(table, whole, open, down, rounds, eventsPerFault, rate, seed, workload.truth());
            log.info("{} result:\n{}", name, report);
            Files.writeString(Path.of("target", name + "-result.md"), report);

            assertThat(table.values()).as("units lost or doubled, or orders without their one decision, after a fault (see the table)")
                    .allSatisfy(row -> assertThat(row.lost + row.doubled + row.undecided).isZero());
            assertThat(lastPositions.examples()).isEmpty();
            assertThat(lastDecisions.examples()).isEmpty();
            assertThat(demand.exact()).as("ClickHouse demand against the truth: %s", demand).isTrue();
            assertThat(statusProblems).as("what order-status told against the facts (README's status table, gapless, no final-to-final, "
                    + "change ids unique)").isEmpty();
            assertThat(statusChanges.exact()).as("order_status_changes in ClickHouse against the topic: %s", statusChanges).isTrue();
            assertThat(funnel.units().exact()).as("the dashboard's funnel against the topic: %s", funnel.units()).isTrue();
            assertThat(notices.lost()).as("notices never delivered: %s", notices.examples()).isZero();
            assertThat(notices.repeatedUnexplained()).as("notices delivered twice outside a notifier kill's crash window: %s", notices.examples()).isZero();
            assertThat(receiver.unsigned()).as("webhooks without a good signature").isZero();
            assertThat(goodDeadLettered).as("good records dead-lettered").isEmpty();
            assertThat(badMissing).as("bad records not dead-lettered with their reason").isEmpty();
            assertThat(open).as("transactions left open").isEmpty();
            assertThat(down).as("components down at the end").isEmpty();
        } finally {
            product.stop();
            receiver.close();
        }
    }

    /** Every order-status change and every alert on their topics (read committed) against what the receiver acknowledged. */
    private static Observed.Notices notices(Observed observed, NoticeReceiver receiver, List<Instant> notifierKills) {
        Set<String> expected = new HashSet<>();
        observed.orderStatus().forEach(change -> expected.add(change.changeId()));
        expected.addAll(observed.alertIds());
        return Observed.Notices.of(expected, receiver.acknowledged(), notifierKills, CRASH_WINDOW);
    }

    private static void send(Workload workload, int events, int rate, List<String> urls) {
        try {
            // One request at a time: the truth of scarce stock depends on the order the events were made in.
            ApiSender.send(workload, events, rate, urls, Product.KEYS, 1);
        } catch (Exception e) {
            throw new IllegalStateException("sending the load failed", e);
        }
    }

    /** An order a few minutes ahead of every other, straight onto the topic (the API would stamp it now). */
    private static void sendClockOrder(Product product, Topics topics) throws Exception {
        Map<String, Object> props = new HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, product.shared.get("KAFKA_BOOTSTRAP_SERVERS"),
                "schema.registry.url", product.shared.get("SCHEMA_REGISTRY_URL"), ProducerConfig.ACKS_CONFIG, "all"));
        AvroSerializer<OrderEvent> serializer = new AvroSerializer<>();
        serializer.configure(props, false);
        String orderId = CLOCK + UUID.randomUUID();
        OrderEvent clock = OrderEvent.newBuilder().setEventId(UUID.randomUUID()).setEventTime(Instant.now().plus(Duration.ofMinutes(3)))
                .setChannel(Channel.WEB).setSourceSystem("fault-suite").setOrderId(orderId)
                .setPayload(OrderPlaced.newBuilder().setCurrency("EUR").setFulfillmentMethod(FulfillmentMethod.SHIP_TO_HOME)
                        .setLines(List.of(new OrderLine("1", "CLOCK", 1, new BigDecimal("1.0000")))).build())
                .build();
        try (KafkaProducer<String, OrderEvent> producer = new KafkaProducer<>(props, new StringSerializer(), serializer)) {
            producer.send(new ProducerRecord<>(topics.orders().name(), orderId, clock)).get();
        }
    }

    /** What one fault cost over all its injections. */
    private static final class Row {
        int injected;
        long lost;
        long doubled;
        long undecided;
        long deadLettered;
        long noticesLost;
        long noticesRepeated;
        final List<Long> settledMillis = new ArrayList<>();
    }

    /** What the whole run is held to at its end. */
    private record Whole(Observed.Units demand, Observed.Units statusChanges, int changes, Observed.Funnel funnel, Observed.Notices notices,
                         List<String> statusProblems, long unsigned, List<Long> answeredBeforeKills) {
    }

    private static String report(Map<Fault, Row> table, Whole whole, List<String> open, List<String> down, int rounds,
                                 int eventsPerFault, int rate, long seed, GroundTruth truth) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append("| fault | times injected | units lost | units doubled | orders without a decision | records dead-lettered "
                + "| notices lost | notices repeated | ms to settle |\n");
        out.append("|---|---|---|---|---|---|---|---|---|\n");
        table.forEach((fault, row) -> out.append("| ").append(fault.description()).append(" | ").append(row.injected)
                .append(" | ").append(row.lost).append(" | ").append(row.doubled).append(" | ").append(row.undecided)
                .append(" | ").append(row.deadLettered).append(" | ").append(row.noticesLost).append(" | ").append(row.noticesRepeated)
                .append(" | ").append(row.settledMillis).append(" |\n"));
        out.append("| whole run: demand in ClickHouse (FINAL) | - | ").append(whole.demand().lost()).append(" | ").append(whole.demand().doubled())
                .append(" | - | - | - | - | - |\n");
        out.append("| whole run: order_status_changes (FINAL) per order and status, against the topic | - | ").append(whole.statusChanges().lost())
                .append(" | ").append(whole.statusChanges().doubled()).append(" | - | - | - | - | - |\n");
        out.append("| whole run: the dashboard's funnel (placed, accepted, shipped), against the topic | - | ").append(whole.funnel().units().lost())
                .append(" | ").append(whole.funnel().units().doubled()).append(" | - | - | - | - | - |\n");
        out.append("| whole run: order-status changes and alerts delivered to the receiver | - | - | - | - | - | ")
                .append(whole.notices().lost()).append(" | ").append(whole.notices().repeated()).append(" | - |\n\n");
        out.append(String.format("In the order_status_changes and funnel rows \"units\" are changes and orders. %d order-status changes, "
                        + "problems against the facts (status table, sequence, final-to-final, ids): %s. Funnel placed/accepted/shipped from the topic %s, the dashboard's %s. %d notices (order-status "
                        + "changes and alerts) to deliver, repeated %d, of which %d outside a notifier kill's crash window; requests answered "
                        + "in the 2 s before each notifier kill: %s; webhooks without a good signature: %d.%n",
                whole.changes(), whole.statusProblems().isEmpty() ? "none" : whole.statusProblems().size() + " " + whole.statusProblems().subList(0, Math.min(5, whole.statusProblems().size())),
                Arrays.toString(whole.funnel().derived()), Arrays.toString(whole.funnel().dashboard()), whole.notices().expected(),
                whole.notices().repeated(), whole.notices().repeatedUnexplained(), whole.answeredBeforeKills(), whole.unsigned()));
        out.append(String.format("%d SKUs, %d orders decided (%d refused), %d events per fault at %d/s, %d round(s), seed %d; "
                        + "transactions left open: %s; components down at the end: %s; %s%n",
                truth.positions.size(), truth.decisions.size(), truth.decisions.values().stream().filter("REJECTED"::equals).count(),
                eventsPerFault, rate, rounds, seed, open.isEmpty() ? "none" : open, down.isEmpty() ? "none" : down, LocalDate.now()));
        return out.toString();
    }
}
