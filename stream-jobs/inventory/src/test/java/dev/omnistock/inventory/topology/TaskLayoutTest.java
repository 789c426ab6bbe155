package dev.omnistock.inventory.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnistock.config.Config;
import dev.omnistock.inventory.InventoryConfig;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/**
 * Kafka Streams names a task by its subtopology's number and a partition, and a running deployment keeps its tasks'
 * state (and the classic protocol's assignments) under those names, checking nothing. A change that moves a store or
 * an input topic to another subtopology therefore renames tasks: instances of the old and the new build cannot share
 * a group (a rolling upgrade would hand one build's task to the other under the same name), and every instance
 * restores the moved stores from their changelogs. This pins the layout, so such a change is made knowingly: it
 * needs a stop-all upgrade, said in the README, and this layout changed with it.
 */
class TaskLayoutTest {

    @Test
    void eachSubtopologyKeepsItsStoresAndInputs() {
        InventoryConfig config = InventoryConfig.from(Config.of(Map.of("SCHEMA_REGISTRY_URL", "mock://" + UUID.randomUUID())));
        Map<Integer, Set<String>> layout = new TreeMap<>();
        for (TopologyDescription.Subtopology subtopology : config.topology().build().describe().subtopologies()) {
            Set<String> parts = new TreeSet<>();
            for (TopologyDescription.Node node : subtopology.nodes()) {
                if (node instanceof TopologyDescription.Source source) {
                    source.topicSet().forEach(topic -> parts.add("topic " + topic));
                } else if (node instanceof TopologyDescription.Processor processor) {
                    processor.stores().forEach(store -> parts.add("store " + store));
                }
            }
            layout.put(subtopology.id(), parts);
        }
        assertThat(layout).isEqualTo(Map.of(
                0, Set.of("topic orders", "topic stock-movements", "topic inventory-ledger-commands", "topic inventory-line-answers",
                        "topic settings-by-sku-repartition", "store order-applied-events", "store order-deadlines",
                        "store order-reservations", "store sku-applied-events", "store sku-deadlines", "store sku-ledger",
                        "store sku-reservations"),
                1, Set.of("topic inventory-settings")));
    }
}
