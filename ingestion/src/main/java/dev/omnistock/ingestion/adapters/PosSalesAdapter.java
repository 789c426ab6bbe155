package dev.omnistock.ingestion.adapters;

import dev.omnistock.events.Channel;
import dev.omnistock.events.FulfillmentMethod;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.events.OrderLine;
import dev.omnistock.events.OrderPlaced;
import dev.omnistock.events.OrderShipped;
import dev.omnistock.events.ShippedLine;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Store till sales as a CSV batch, one line item per row:
 * {@code store_id,transaction_id,line_no,sku,quantity,unit_price,currency,sold_at}.
 * A till sale commits and ships at once at its store: each transaction becomes an OrderPlaced
 * (pickup at that store) and an OrderShipped from that store, order id "POS-store-transaction".
 * A bad row is reported and left out; the rest of its transaction still counts.
 */
public final class PosSalesAdapter {

    static final Set<String> COLUMNS = Set.of("store_id", "transaction_id", "line_no", "sku", "quantity", "unit_price", "currency", "sold_at");

    private final SkuCatalog catalog;

    public PosSalesAdapter(SkuCatalog catalog) {
        this.catalog = catalog;
    }

    private record Sale(String store, String transaction, Instant soldAt, String currency, int firstRow,
                        List<OrderLine> lines) {
    }

    public Converted convert(byte[] csv, Channel channel, String sourceSystem) {
        List<Converted.RowError> errors = new ArrayList<>();
        Map<String, Sale> sales = new LinkedHashMap<>();
        for (CsvRows.Row row : CsvRows.read(csv, COLUMNS)) {
            CsvRows.Fields f = new CsvRows.Fields(row);
            String store = f.id("store_id");
            String transaction = f.id("transaction_id");
            String lineNo = f.id("line_no");
            String sku = f.id("sku");
            f.knownSku(catalog, "sku", sku);
            int quantity = f.integer("quantity", 1);
            var unitPrice = f.price("unit_price");
            String currency = f.currency("currency");
            Instant soldAt = f.instant("sold_at");
            Sale sale = sales.get(store + "/" + transaction);
            if (f.errors.isEmpty() && sale != null && !sale.currency().equals(currency)) {
                f.errors.add(new Converted.RowError(row.number(), "currency", "differs from the transaction's " + sale.currency()));
            }
            if (!f.errors.isEmpty()) {
                errors.addAll(f.errors);
                continue;
            }
            if (sale == null) {
                sale = new Sale(store, transaction, soldAt, currency, row.number(), new ArrayList<>());
                sales.put(store + "/" + transaction, sale);
            }
            sale.lines().add(new OrderLine(lineNo, sku, quantity, unitPrice.setScale(4, RoundingMode.UNNECESSARY)));
        }
        List<Converted.Accepted> accepted = new ArrayList<>();
        for (Sale sale : sales.values()) {
            String orderId = "POS-" + sale.store() + "-" + sale.transaction();
            OrderPlaced placed = OrderPlaced.newBuilder().setCurrency(sale.currency()).setLines(sale.lines())
                    .setFulfillmentMethod(FulfillmentMethod.PICKUP_IN_STORE).setRequestedLocationId(sale.store()).build();
            OrderShipped handedOver = new OrderShipped(sale.transaction(), sale.store(),
                    sale.lines().stream().map(l -> new ShippedLine(l.getLineId(), l.getSku(), l.getQuantity())).toList(), null, null);
            accepted.add(new Converted.Accepted(sale.firstRow(), Converted.Destination.ORDERS, orderId,
                    event(channel, sourceSystem, orderId, sale.soldAt(), "placed", placed)));
            accepted.add(new Converted.Accepted(sale.firstRow(), Converted.Destination.ORDERS, orderId,
                    event(channel, sourceSystem, orderId, sale.soldAt(), "shipped", handedOver)));
        }
        return new Converted(accepted, errors);
    }

    private static OrderEvent event(Channel channel, String sourceSystem, String orderId, Instant at, String what, Object payload) {
        return OrderEvent.newBuilder()
                .setEventId(UUID.nameUUIDFromBytes((channel + "\npos-sale\n" + orderId + "\n" + what).getBytes(StandardCharsets.UTF_8)))
                .setEventTime(at).setChannel(channel).setSourceSystem(sourceSystem).setOrderId(orderId).setPayload(payload).build();
    }
}
