package dev.omnistock.analytics.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AvailabilityTimelineTest {

    private static PositionSnapshot position(long version, long at, int storeAvailable, int dcAvailable) {
        return new PositionSnapshot("SKU-1", version, at, new LocationLevel[] {
                new LocationLevel("STORE-1", storeAvailable, storeAvailable, 0, 0),
                new LocationLevel("DC-1", dcAvailable, dcAvailable, 0, 0),
                new LocationLevel(LocationLevel.NETWORK, storeAvailable + dcAvailable, storeAvailable + dcAvailable, 0, 0)}, "e" + version);
    }

    @Test
    void onlyLocationsWhoseStockChangedAreRecorded() {
        AvailabilityTimeline timeline = AvailabilityTimeline.EMPTY.apply(position(1, 1_000, 5, 10)).timeline();

        AvailabilityTimeline.Applied applied = timeline.apply(position(2, 2_000, 4, 10));

        assertThat(applied.changes()).extracting(AvailabilityChange::locationId).containsExactly("STORE-1", LocationLevel.NETWORK);
        assertThat(applied.changes()).allSatisfy(c -> assertThat(c.version()).isEqualTo(2));
    }

    @Test
    void aStockOutIsRecordedWhenItStartsAndWhenItEnds() {
        AvailabilityTimeline timeline = AvailabilityTimeline.EMPTY.apply(position(1, 1_000, 5, 10)).timeline();

        AvailabilityTimeline.Applied out = timeline.apply(position(2, 60_000, 0, 10));
        AvailabilityTimeline.Applied stillOut = out.timeline().apply(position(3, 90_000, 0, 9));
        AvailabilityTimeline.Applied back = stillOut.timeline().apply(position(4, 240_000, 3, 9));

        assertThat(out.stockouts()).containsExactly(new StockoutPeriod("SKU-1", "STORE-1", 60_000, 0));
        assertThat(stillOut.stockouts()).isEmpty();
        assertThat(back.stockouts()).containsExactly(new StockoutPeriod("SKU-1", "STORE-1", 60_000, 240_000));
    }

    @Test
    void anOlderOrRepeatedPositionChangesNothing() {
        AvailabilityTimeline timeline = AvailabilityTimeline.EMPTY.apply(position(5, 5_000, 5, 10)).timeline();

        assertThat(timeline.apply(position(5, 5_000, 0, 10)).changes()).isEmpty();
        assertThat(timeline.apply(position(4, 4_000, 0, 0)).stockouts()).isEmpty();
        assertThat(timeline.apply(position(4, 4_000, 0, 0)).timeline()).isSameAs(timeline);
    }
}
