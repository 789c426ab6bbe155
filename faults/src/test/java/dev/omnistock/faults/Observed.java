package dev.omnistock.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnistock.clickhouse.ClickHouseConnection;
import dev.omnistock.dashboard.queries.NamedQuery;
import dev.omnistock.dashboard.queries.QueryPack;
import dev.omnistock.dashboard.queries.QueryRunner;
import dev.omnistock.events.OrderDecision;
import dev.omnistock.events.OrderStatusChanged;
import dev.omnistock.generator.GroundTruth;
import dev.omnistock.generator.model.OrderStatusOracle;
import dev.omnistock.testsupport.ChildJvm;
import dev.omnistock.testsupport.TopicReader;
import dev.omnistock.topics.DeadLetterHeaders;
import dev.omnistock.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;

/** What the product shows, read back and held against the generator's ground truth. */
final class Observed {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Units missing (lost) and units too many (doubled) against the truth, summed over what is compared. */
    record Units(long lost, long doubled, List<String> examples) {
        boolean exact() {
            return lost == 0 && doubled == 0;
        }

        static Units compare(Map<String, long[]> expected, Map<String, long[]> actual) {
            long lost = 0;
            long doubled = 0;
            List<String> examples = new ArrayList<>();
            Set<String> keys = new HashSet<>(expected.keySet());
            keys.addAll(actual.keySet());
            for (String key : keys) {
                long[] want = expected.get(key);
                long[] got = actual.get(key);
                want = want == null ? new long[got.length] : want;
                got = got == null ? new long[want.length] : got;
                for (int i = 0; i < want.length; i++) {
                    lost += Math.max(0, want[i] - got[i]);
                    doubled += Math.max(0, got[i] - want[i]);
                }
                if (!java.util.Arrays.equals(want, got) && examples.size() < 5) {
                    examples.add(key + " expected " + java.util.Arrays.toString(want) + " was " + java.util.Arrays.toString(got));
                }
            }
            return new Units(lost, doubled, examples);
        }
    }

    /** Orders the truth decides that have no decision, and orders with more than one (or a wrong one). */
    record Decisions(int missing, int extra, List<String> examples) {
        boolean exact() {
            return missing == 0 && extra == 0;
        }
    }

    private final Topics topics;
    private final String bootstrap;
    private final String inventoryUrl;

    Observed(Topics topics, String bootstrap, String inventoryUrl) {
        this.topics = topics;
        this.bootstrap = bootstrap;
        this.inventoryUrl = inventoryUrl;
    }

    /** Every SKU's network on_hand, committed and unavailable, through the inventory API. */
    Units positions(GroundTruth truth) throws Exception {
        Map<String, long[]> expected = new HashMap<>();
        truth.positions.forEach((sku, p) -> expected.put(sku, new long[] {p.onHand, p.committed, p.unavailable}));
        List<String> skus = List.copyOf(expected.keySet());
        Map<String, long[]> actual = new HashMap<>();
        for (int from = 0; from < skus.size(); from += 500) {
            String body = JSON.writeValueAsString(Map.of("skus", skus.subList(from, Math.min(skus.size(), from + 500))));
            for (JsonNode found : JSON.readTree(ChildJvm.post(inventoryUrl + "/v1/availability/batch", body)).get("found")) {
                JsonNode n = found.get("network");
                actual.put(found.get("sku").asText(), new long[] {n.get("onHand").asLong(), n.get("committed").asLong(), n.get("unavailable").asLong()});
            }
        }
        return Units.compare(expected, actual);
    }

    /** order-decisions read committed: each order the truth decides has exactly its decision; others at most one. */
    Decisions decisions(GroundTruth truth, String ignoredPrefix) {
        Map<String, List<String>> seen = new HashMap<>();
        for (ConsumerRecord<String, OrderDecision> r : TopicReader.readAll(bootstrap, topics.orderDecisions().name(),
                Serdes.String().deserializer(), topics.orderDecisions().valueSerde().deserializer())) {
            seen.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value().getStatus().name());
        }
        int missing = 0;
        int extra = 0;
        List<String> examples = new ArrayList<>();
        for (Map.Entry<String, String> decided : truth.decisions.entrySet()) {
            List<String> statuses = seen.getOrDefault(decided.getKey(), List.of());
            if (statuses.isEmpty()) {
                missing++;
            } else if (!statuses.equals(List.of(decided.getValue()))) {
                extra++;
            } else {
                continue;
            }
            if (examples.size() < 5) {
                examples.add(decided.getKey() + " expected [" + decided.getValue() + "] was " + statuses);
            }
        }
        for (Map.Entry<String, List<String>> order : seen.entrySet()) {
            boolean allowed = truth.decisions.containsKey(order.getKey()) || order.getKey().startsWith(ignoredPrefix)
                    || (truth.undecidable.contains(order.getKey()) && order.getValue().size() == 1);
            if (!allowed) {
                extra++;
                if (examples.size() < 5) {
                    examples.add(order.getKey() + " was not to be decided, or once at most: " + order.getValue());
                }
            }
        }
        return new Decisions(missing, extra, examples);
    }

    /** Units ordered, cancelled, shipped and returned in demand_per_minute (FINAL: one row per identity). */
    static Units demand(Connection clickHouse, GroundTruth truth) throws Exception {
        long[] expected = truth.demandTotals();
        long[] actual = new long[4];
        try (Statement query = clickHouse.createStatement(); ResultSet rs = query.executeQuery(
                "SELECT sum(units_ordered), sum(units_cancelled), sum(units_shipped), sum(units_returned) FROM demand_per_minute FINAL")) {
            rs.next();
            for (int i = 0; i < 4; i++) {
                actual[i] = rs.getLong(i + 1);
            }
        }
        return Units.compare(Map.of("units ordered/cancelled/shipped/returned", expected),
                Map.of("units ordered/cancelled/shipped/returned", actual));
    }

    /** One change on order-status, as read (read committed, in the order of its partition). */
    record Change(String changeId, String orderId, long sequence, String previousStatus, String status, Instant changedAt, boolean unitShipped) {
    }

    /** Every change on order-status, committed ones only. */
    List<Change> orderStatus() {
        List<Change> changes = new ArrayList<>();
        for (ConsumerRecord<String, OrderStatusChanged> r : TopicReader.readAll(bootstrap, topics.orderStatus().name(),
                Serdes.String().deserializer(), topics.orderStatus().valueSerde().deserializer())) {
            OrderStatusChanged c = r.value();
            changes.add(new Change(c.getChangeId(), c.getOrderId(), c.getSequence(),
                    c.getPreviousStatus() == null ? null : c.getPreviousStatus().name(), c.getStatus().name(), c.getChangedAt(),
                    c.getChangedLines().stream().anyMatch(line -> line.getShipped() > 0)));
        }
        return changes;
    }

    /** The id of every alert on inventory-alerts, committed ones only. */
    List<String> alertIds() {
        return TopicReader.readAll(bootstrap, topics.inventoryAlerts().name(), Serdes.String().deserializer(),
                topics.inventoryAlerts().valueSerde().deserializer()).stream().map(r -> r.value().getAlertId().toString()).toList();
    }

    /**
     * What is wrong with what order-status told (committed changes only) against the facts of the generator's model:
     * {@link GroundTruth#statusProblems}; but for the suite's own orders (their ids start with {@code ignoredPrefix}).
     */
    List<String> statusProblems(GroundTruth truth, String ignoredPrefix) {
        Map<String, List<OrderStatusOracle.Change>> told = new TreeMap<>();
        for (ConsumerRecord<String, OrderStatusChanged> r : TopicReader.readAll(bootstrap, topics.orderStatus().name(),
                Serdes.String().deserializer(), topics.orderStatus().valueSerde().deserializer())) {
            if (r.value().getOrderId().startsWith(ignoredPrefix)) {
                continue;
            }
            told.computeIfAbsent(r.value().getOrderId(), k -> new ArrayList<>()).add(OrderStatusOracle.Change.of(r.value()));
        }
        return truth.statusProblems(told);
    }

    /**
     * Notices the receiver never acknowledged, and acknowledgements beyond each notice's first. A repeat is explained
     * when its notice was acknowledged within {@code window} before a notifier kill and again after it: the
     * documented crash window (the 2xx came, the delivery's state was not written yet).
     */
    record Notices(long expected, long lost, long repeated, long repeatedUnexplained, List<String> examples) {

        static Notices of(Set<String> expected, Map<String, List<Instant>> acknowledged, List<Instant> kills, Duration window) {
            List<String> examples = new ArrayList<>();
            long lost = 0;
            for (String id : expected) {
                if (!acknowledged.containsKey(id)) {
                    lost++;
                    if (examples.size() < 5) {
                        examples.add(id + " never acknowledged");
                    }
                }
            }
            long repeated = 0;
            long unexplained = 0;
            for (Map.Entry<String, List<Instant>> id : acknowledged.entrySet()) {
                List<Instant> times = id.getValue().stream().sorted().toList();
                for (int i = 1; i < times.size(); i++) {
                    repeated++;
                    Instant first = times.get(i - 1);
                    Instant again = times.get(i);
                    boolean inCrashWindow = kills.stream().anyMatch(kill -> !first.isAfter(kill) && first.isAfter(kill.minus(window)) && again.isAfter(kill));
                    if (!inCrashWindow) {
                        unexplained++;
                        if (examples.size() < 10) {
                            examples.add(id.getKey() + " acknowledged at " + times + ", no notifier kill within " + window + " after " + first);
                        }
                    }
                }
            }
            return new Notices(expected.size(), lost, repeated, unexplained, examples);
        }
    }

    /** Changes per order and status in order_status_changes (FINAL: one row per order and sequence) against those on the topic. */
    static Units statusChanges(Connection clickHouse, List<Change> changes) throws Exception {
        Map<String, long[]> expected = new HashMap<>();
        for (Change c : changes) {
            expected.computeIfAbsent(c.orderId() + " " + c.status(), k -> new long[1])[0]++;
        }
        Map<String, long[]> actual = new HashMap<>();
        try (Statement query = clickHouse.createStatement(); ResultSet rs = query.executeQuery(
                "SELECT order_id, status, count() FROM order_status_changes FINAL GROUP BY order_id, status")) {
            while (rs.next()) {
                actual.put(rs.getString(1) + " " + rs.getString(2), new long[] {rs.getLong(3)});
            }
        }
        return Units.compare(expected, actual);
    }

    /**
     * The dashboard's funnel (the SQL pack's fulfilment_funnel, bound and run as the dashboard runs it) against the
     * orders placed in [from, to) on the topic: placed, accepted (a change to a status other than PLACED, REJECTED
     * and CANCELLED: a unit reserved or shipped) and shipped (a change with a unit shipped), as the README defines them.
     */
    static Funnel funnel(ClickHouseConnection clickHouse, List<Change> changes, Instant from, Instant to) throws Exception {
        Set<String> placed = new HashSet<>();
        for (Change c : changes) {
            if (c.sequence() == 1 && !c.changedAt().isBefore(from) && c.changedAt().isBefore(to)) {
                placed.add(c.orderId());
            }
        }
        Set<String> accepted = new HashSet<>();
        Set<String> shipped = new HashSet<>();
        for (Change c : changes) {
            if (placed.contains(c.orderId()) && !Set.of("PLACED", "REJECTED", "CANCELLED").contains(c.status())) {
                accepted.add(c.orderId());
            }
            if (placed.contains(c.orderId()) && c.unitShipped()) {
                shipped.add(c.orderId());
            }
        }
        NamedQuery query = QueryPack.load().find("fulfilment_funnel").orElseThrow();
        QueryRunner.Result result = new QueryRunner(clickHouse, 60).run(query, List.of(from.toEpochMilli(), to.toEpochMilli()));
        List<String> names = result.columns().stream().map(QueryRunner.Column::name).toList();
        List<Object> row = result.rows().get(0);
        long[] actual = new long[3];
        List<String> figures = List.of("placed", "accepted", "shipped");
        for (int i = 0; i < 3; i++) {
            actual[i] = ((Number) row.get(names.indexOf(figures.get(i)))).longValue();
        }
        return new Funnel(new long[] {placed.size(), accepted.size(), shipped.size()}, actual);
    }

    /** Orders placed, accepted and shipped: as derived from the topic, and as the dashboard's query counts them. */
    record Funnel(long[] derived, long[] dashboard) {
        Units units() {
            return Units.compare(Map.of("funnel placed/accepted/shipped", derived), Map.of("funnel placed/accepted/shipped", dashboard));
        }
    }

    /** Dead letters of records that were unreadable (not rule rejections), by where they came from. */
    Set<BadRecords.Origin> unreadableDeadLetters() {
        Set<BadRecords.Origin> origins = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(bootstrap, topics.deadLetters().name(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            String kind = header(r, DeadLetterHeaders.EXCEPTION);
            if (DeadLetterHeaders.REJECTED_BY_RULE.equals(kind)) {
                continue;
            }
            String message = header(r, DeadLetterHeaders.MESSAGE);
            if (message == null || message.isBlank()) {
                throw new AssertionError("a dead letter without its reason: " + r);
            }
            origins.add(new BadRecords.Origin(header(r, DeadLetterHeaders.TOPIC), Integer.parseInt(header(r, DeadLetterHeaders.PARTITION)),
                    Long.parseLong(header(r, DeadLetterHeaders.OFFSET))));
        }
        return origins;
    }

    /** Transactions the broker holds open (ongoing) at this moment. */
    static List<String> openTransactions(Admin admin) throws Exception {
        List<String> open = new ArrayList<>();
        for (TransactionListing listing : admin.listTransactions().all().get(30, TimeUnit.SECONDS)) {
            if (listing.state() == TransactionState.ONGOING) {
                open.add(listing.transactionalId());
            }
        }
        return open;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        return record.headers().lastHeader(name) == null ? null : new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
