package dev.omnistock.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnistock.events.OrderDecision;
import dev.omnistock.generator.GroundTruth;
import dev.omnistock.testsupport.ChildJvm;
import dev.omnistock.testsupport.TopicReader;
import dev.omnistock.topics.DeadLetterHeaders;
import dev.omnistock.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
                long[] want = expected.getOrDefault(key, new long[3]);
                long[] got = actual.getOrDefault(key, new long[want.length]);
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
