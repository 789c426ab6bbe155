package dev.omnistock.ingestion.adapters;

import dev.omnistock.events.Channel;
import dev.omnistock.events.CountType;
import dev.omnistock.events.StockCounted;
import dev.omnistock.events.StockEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A warehouse system's stock snapshot as CSV: {@code sku,location_id,on_hand,counted_at}. Each row is an
 * absolute count (StockCounted, WMS_SNAPSHOT) at its counted_at time; the same row sent twice has
 * the same event id. Bad rows are reported by row number; the others are accepted.
 */
public final class WarehouseSnapshotAdapter {

    static final Set<String> COLUMNS = Set.of("sku", "location_id", "on_hand", "counted_at");

    private final SkuCatalog catalog;

    public WarehouseSnapshotAdapter(SkuCatalog catalog) {
        this.catalog = catalog;
    }

    public Converted convert(byte[] csv, Channel channel, String sourceSystem) {
        List<Converted.Accepted> accepted = new ArrayList<>();
        List<Converted.RowError> errors = new ArrayList<>();
        for (CsvRows.Row row : CsvRows.read(csv, COLUMNS)) {
            CsvRows.Fields f = new CsvRows.Fields(row);
            String sku = f.id("sku");
            f.knownSku(catalog, "sku", sku);
            String location = f.id("location_id");
            int onHand = f.integer("on_hand", 0);
            Instant countedAt = f.instant("counted_at");
            if (!f.errors.isEmpty()) {
                errors.addAll(f.errors);
                continue;
            }
            StockEvent event = StockEvent.newBuilder()
                    .setEventId(UUID.nameUUIDFromBytes((channel + "\nwms-count\n" + sku + "\n" + location + "\n" + countedAt)
                            .getBytes(StandardCharsets.UTF_8)))
                    .setEventTime(countedAt).setChannel(channel).setSourceSystem(sourceSystem)
                    .setSku(sku).setLocationId(location).setPayload(new StockCounted(onHand, CountType.WMS_SNAPSHOT)).build();
            accepted.add(new Converted.Accepted(row.number(), Converted.Destination.STOCK, sku, event));
        }
        return new Converted(accepted, errors);
    }
}
