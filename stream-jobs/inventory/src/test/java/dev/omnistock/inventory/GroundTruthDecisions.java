package dev.omnistock.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnistock.events.OrderDecision;
import dev.omnistock.events.OrderStatusChanged;
import dev.omnistock.generator.model.OrderStatusOracle;
import dev.omnistock.generator.GroundTruth;
import dev.omnistock.testsupport.TopicReader;
import dev.omnistock.topics.TopicSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;

/** The decisions on order-decisions and the changes on order-status (read committed) against the generator's ground truth. */
final class GroundTruthDecisions {

    private GroundTruthDecisions() {
    }

    /**
     * Every order the truth decides has exactly that one decision; an order cancelled whole has at most one
     * (none when the cancel overtook its answers); no other order has any.
     */
    static void assertMatch(String bootstrapServers, TopicSpec<String, OrderDecision> topic, GroundTruth truth) {
        Map<String, List<String>> decisions = new TreeMap<>();
        for (ConsumerRecord<String, OrderDecision> r : TopicReader.readAll(bootstrapServers, topic.name(), Serdes.String().deserializer(),
                topic.valueSerde().deserializer())) {
            decisions.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value().getStatus().name());
        }
        List<String> wrong = new ArrayList<>();
        truth.decisions.forEach((order, status) -> {
            if (!List.of(status).equals(decisions.get(order))) {
                wrong.add(order + " expected [" + status + "], was " + decisions.get(order));
            }
        });
        decisions.forEach((order, statuses) -> {
            if (!truth.decisions.containsKey(order) && !(truth.undecidable.contains(order) && statuses.size() == 1)) {
                wrong.add(order + " was not to be decided (or once at most), was " + statuses);
            }
        });
        assertThat(wrong).as("orders whose decisions are not the ground truth (%d of %d)", wrong.size(), truth.decisions.size()).isEmpty();
    }

    /**
     * What order-status told (read committed) against the facts of the generator's model, through the README's
     * status table: {@link GroundTruth#statusProblems}.
     */
    static void assertStatusTold(String bootstrapServers, TopicSpec<String, OrderStatusChanged> topic, GroundTruth truth) {
        Map<String, List<OrderStatusOracle.Change>> told = new TreeMap<>();
        for (ConsumerRecord<String, OrderStatusChanged> r : TopicReader.readAll(bootstrapServers, topic.name(), Serdes.String().deserializer(),
                topic.valueSerde().deserializer())) {
            told.computeIfAbsent(r.value().getOrderId(), k -> new ArrayList<>()).add(OrderStatusOracle.Change.of(r.value()));
        }
        List<String> problems = truth.statusProblems(told);
        assertThat(problems).as("what order-status told against the facts (%d problems, %d orders)", problems.size(), truth.orders.size())
                .isEmpty();
    }
}
