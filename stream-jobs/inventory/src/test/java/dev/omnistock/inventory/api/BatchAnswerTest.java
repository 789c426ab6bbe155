package dev.omnistock.inventory.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BatchAnswerTest {

    private static AvailabilityView view(String sku, long version) {
        return new AvailabilityView(sku, new AvailabilityView.Quantities(5, 1, 0, 0, 0, 4), List.of(), version, null, false);
    }

    @Test
    void aHostAwayCostsItsSkusOnlyAndTheyAreNamedAsUnavailableInTheOrderAsked() {
        BatchAnswer answer = new BatchAnswer(List.of("SKU-A", "SKU-B", "SKU-C", "SKU-D"));
        answer.found(view("SKU-C", 3));
        answer.notFound("SKU-A");

        BatchAnswer.Response response = answer.response();
        assertThat(response.found()).extracting(AvailabilityView::sku).containsExactly("SKU-C");
        assertThat(response.notFound()).containsExactly("SKU-A");
        assertThat(response.unavailable()).containsExactly("SKU-B", "SKU-D");
    }

    @Test
    void aStandbysCopyFillsAnUnavailableSkuAndSaysItIsStaleWithItsVersion() {
        BatchAnswer answer = new BatchAnswer(List.of("SKU-A", "SKU-B"));
        answer.found(view("SKU-A", 7));
        answer.found(view("SKU-B", 12).asStale());

        assertThat(answer.response().unavailable()).isEmpty();
        assertThat(answer.get("SKU-B").stale()).isTrue();
        assertThat(answer.get("SKU-B").version()).isEqualTo(12);
        assertThat(answer.get("SKU-A").stale()).isFalse();
    }

    @Test
    void theFirstAnswerForASkuStandsAndSkusNotAskedAreIgnored() {
        BatchAnswer answer = new BatchAnswer(List.of("SKU-A"));
        answer.found(view("SKU-A", 9));
        answer.found(view("SKU-A", 8).asStale());
        answer.notFound("SKU-A");
        answer.found(view("SKU-OTHER", 1));

        assertThat(answer.response().found()).containsExactly(view("SKU-A", 9));
        assertThat(answer.response().notFound()).isEmpty();
    }

    @Test
    void aSkuMissingFromAStaleCopyStaysUnavailableForTheNextCopyNotUnknown() {
        BatchAnswer answer = new BatchAnswer(List.of("SKU-NEW", "SKU-GONE"));
        answer.missing("SKU-NEW", true);
        answer.missing("SKU-GONE", false);

        assertThat(answer.response().notFound()).containsExactly("SKU-GONE");
        assertThat(answer.response().unavailable()).containsExactly("SKU-NEW");
        answer.found(view("SKU-NEW", 1).asStale());
        assertThat(answer.get("SKU-NEW").stale()).isTrue();
    }

    @Test
    void anInstanceOfAnEarlierVersionCannotCallASkuUnknown() {
        BatchAnswer answer = new BatchAnswer(List.of("SKU-A", "SKU-B", "SKU-C"));
        // An earlier version reads only the tasks it runs and names no unavailable SKUs.
        answer.add(new BatchAnswer.Response(List.of(view("SKU-A", 2)), List.of("SKU-B"), null));
        assertThat(answer.response().notFound()).isEmpty();
        assertThat(answer.response().unavailable()).containsExactly("SKU-B", "SKU-C");

        answer.add(new BatchAnswer.Response(List.of(), List.of("SKU-B"), List.of("SKU-C")));
        assertThat(answer.response().notFound()).containsExactly("SKU-B");
    }
}
