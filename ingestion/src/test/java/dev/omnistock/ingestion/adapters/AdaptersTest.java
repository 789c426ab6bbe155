package dev.omnistock.ingestion.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnistock.events.Channel;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.events.OrderPlaced;
import dev.omnistock.events.OrderShipped;
import dev.omnistock.events.StockCounted;
import dev.omnistock.events.StockEvent;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AdaptersTest {

    private static final SkuCatalog CATALOG = SkuCatalog.of(Set.of("SKU-MUG", "SKU-TSHIRT-M"));

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = AdaptersTest.class.getResourceAsStream("/fixtures/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void aMarketplaceOrderBecomesOneOrderWithUnitPricesAndItsUnknownItemReported() throws IOException {
        Converted converted = new MarketplaceOrderAdapter(CATALOG)
                .convert(new ObjectMapper().readTree(fixture("marketplace-order.json")), Channel.MARKETPLACE, "marketplace");

        assertThat(converted.accepted()).singleElement().satisfies(a -> {
            OrderEvent event = (OrderEvent) a.event();
            assertThat(event.getOrderId()).isEqualTo("305-1234567-7654321");
            OrderPlaced placed = (OrderPlaced) event.getPayload();
            assertThat(placed.getCurrency()).isEqualTo("EUR");
            assertThat(placed.getLines()).extracting(l -> l.getSku(), l -> l.getQuantity(), l -> l.getUnitPrice())
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("SKU-MUG", 2, new BigDecimal("7.5000")),
                            org.assertj.core.groups.Tuple.tuple("SKU-TSHIRT-M", 1, new BigDecimal("19.9900")));
        });
        assertThat(converted.rejected()).singleElement().satisfies(e -> {
            assertThat(e.row()).isEqualTo(3);
            assertThat(e.message()).contains("unknown SKU 'SKU-NOT-OURS'");
        });
    }

    @Test
    void theSameMarketplaceNotificationTwiceHasTheSameEventId() throws IOException {
        var json = new ObjectMapper().readTree(fixture("marketplace-order.json"));
        MarketplaceOrderAdapter adapter = new MarketplaceOrderAdapter(CATALOG);
        assertThat(adapter.convert(json, Channel.MARKETPLACE, "m").accepted().get(0).event().get(0))
                .isEqualTo(adapter.convert(json, Channel.MARKETPLACE, "m").accepted().get(0).event().get(0));
    }

    @Test
    void aPosTransactionIsPlacedAndHandedOverAtItsStoreAndABadRowIsNamed() throws IOException {
        Converted converted = new PosSalesAdapter(CATALOG).convert(fixture("pos-sales.csv"), Channel.STORE_POS, "till");

        assertThat(converted.accepted()).hasSize(4); // T-9001 and T-9003, each placed and shipped
        OrderEvent placed = (OrderEvent) converted.accepted().get(0).event();
        OrderEvent shipped = (OrderEvent) converted.accepted().get(1).event();
        assertThat(placed.getOrderId()).isEqualTo("POS-STORE-BERLIN-01-T-9001");
        assertThat(((OrderPlaced) placed.getPayload()).getRequestedLocationId()).isEqualTo("STORE-BERLIN-01");
        assertThat(((OrderPlaced) placed.getPayload()).getLines()).hasSize(2);
        assertThat(((OrderShipped) shipped.getPayload()).getLocationId()).isEqualTo("STORE-BERLIN-01");
        assertThat(converted.rejected()).singleElement().satisfies(e -> {
            assertThat(e.row()).isEqualTo(4);
            assertThat(e.field()).isEqualTo("quantity");
            assertThat(e.message()).contains("'zero'");
        });
    }

    @Test
    void aWarehouseSnapshotBecomesAbsoluteCountsWithUnknownAndImpossibleRowsNamed() throws IOException {
        Converted converted = new WarehouseSnapshotAdapter(CATALOG).convert(fixture("wms-snapshot.csv"), Channel.WAREHOUSE, "wms");

        assertThat(converted.accepted()).extracting(Converted.Accepted::key).containsExactly("SKU-MUG", "SKU-TSHIRT-M");
        assertThat(((StockCounted) ((StockEvent) converted.accepted().get(0).event()).getPayload()).getOnHand()).isEqualTo(120);
        assertThat(converted.rejected()).extracting(Converted.RowError::row, Converted.RowError::field)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(4, "sku"), org.assertj.core.groups.Tuple.tuple(5, "on_hand"));
    }

    @Test
    void aCsvWithoutTheExpectedHeaderIsRefusedWhole() {
        byte[] csv = "sku,qty\nSKU-MUG,3\n".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> new WarehouseSnapshotAdapter(CATALOG).convert(csv, Channel.WAREHOUSE, "wms"))
                .hasMessageContaining("lacks column(s) [counted_at, location_id, on_hand]");
    }
}
