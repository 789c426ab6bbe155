package dev.omnistock.inventory.topology;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** The due-time index that keeps each punctuation's work bounded, whatever the size of the order store. */
class DeadlinesTest {

    private final KeyValueStore<String, String> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("deadlines"),
            Serdes.String(), Serdes.String()).withLoggingDisabled().build();
    private final Deadlines deadlines = new Deadlines(store);

    DeadlinesTest() {
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    }

    @Test
    void onlyWhatIsDueIsTakenEarliestFirstAndNoMoreThanAsked() {
        deadlines.add(3_000, "forget|O-3");
        deadlines.add(1_000, "expire|O-1");
        deadlines.add(20_000_000_000L, "expire|O-far");
        deadlines.add(2_000, "forget|O-2");

        assertThat(deadlines.takeDue(2_500, 1)).containsExactly("expire|O-1");
        assertThat(deadlines.takeDue(2_500, 10)).containsExactly("forget|O-2");
        assertThat(deadlines.takeDue(2_500, 10)).as("taken entries are gone; O-3 is not due").isEmpty();
        assertThat(deadlines.takeDue(Long.MAX_VALUE, 10)).containsExactly("forget|O-3", "expire|O-far");
    }

    @Test
    void addingTheSameThingAtTheSameTimeTwiceKeepsOne() {
        deadlines.add(1_000, "SKU-1");
        deadlines.add(1_000, "SKU-1");
        assertThat(deadlines.takeDue(1_000, 10)).containsExactly("SKU-1");
    }
}
