package dev.omnistock.ingestion.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omnistock.events.Channel;
import dev.omnistock.events.FulfillmentMethod;
import dev.omnistock.ids.Ids;
import dev.omnistock.events.OrderEvent;
import dev.omnistock.events.OrderLine;
import dev.omnistock.events.OrderPlaced;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A marketplace order notification, shaped as the big marketplaces send them:
 * <pre>
 * {"marketplaceOrderId": "305-1234567-1234567", "purchaseDate": "2026-11-23T09:15:00Z",
 *  "orderItems": [{"orderItemId": "1", "sellerSku": "SKU-MUG", "quantityOrdered": 2,
 *                  "itemPrice": {"currencyCode": "EUR", "amount": "15.00"}}]}
 * </pre>
 * itemPrice is the price of the whole item line, as marketplaces report it; the canonical event
 * carries the unit price. The order becomes one OrderPlaced with event id derived from the
 * marketplace order id, so a repeated notification never counts twice. An item that cannot be used
 * (unknown SKU, bad quantity or price) is reported by its position; the order goes on without it.
 */
public final class MarketplaceOrderAdapter {

    private final SkuCatalog catalog;

    public MarketplaceOrderAdapter(SkuCatalog catalog) {
        this.catalog = catalog;
    }

    public Converted convert(JsonNode notification, Channel channel, String sourceSystem) {
        List<Converted.RowError> errors = new ArrayList<>();
        String orderId = notification.path("marketplaceOrderId").asText("");
        if (!Ids.valid(orderId)) {
            errors.add(new Converted.RowError(0, "marketplaceOrderId", "is required: " + Ids.FORM));
        }
        Instant purchased = Instant.now();
        if (notification.hasNonNull("purchaseDate")) {
            try {
                purchased = Instant.parse(notification.get("purchaseDate").asText());
            } catch (DateTimeParseException e) {
                errors.add(new Converted.RowError(0, "purchaseDate", "must be an ISO-8601 instant such as 2026-11-23T09:15:00Z"));
            }
        }
        JsonNode items = notification.path("orderItems");
        if (!items.isArray() || items.isEmpty()) {
            errors.add(new Converted.RowError(0, "orderItems", "must have at least one item"));
        }
        if (!errors.isEmpty()) {
            return new Converted(List.of(), errors);
        }
        List<OrderLine> lines = new ArrayList<>();
        String currency = null;
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            int row = i + 1;
            String sku = item.path("sellerSku").asText("");
            int quantity = item.path("quantityOrdered").asInt(0);
            String itemCurrency = item.path("itemPrice").path("currencyCode").asText("");
            BigDecimal amount;
            try {
                amount = new BigDecimal(item.path("itemPrice").path("amount").asText(""));
            } catch (NumberFormatException e) {
                errors.add(new Converted.RowError(row, "orderItems[" + i + "].itemPrice.amount", "must be a decimal amount"));
                continue;
            }
            if (sku.isBlank() || !catalog.knows(sku)) {
                errors.add(new Converted.RowError(row, "orderItems[" + i + "].sellerSku", "unknown SKU '" + sku + "'"));
            } else if (quantity <= 0) {
                errors.add(new Converted.RowError(row, "orderItems[" + i + "].quantityOrdered", "must be more than 0"));
            } else if (amount.signum() < 0) {
                errors.add(new Converted.RowError(row, "orderItems[" + i + "].itemPrice.amount", "must be 0 or more"));
            } else if (!itemCurrency.matches("[A-Z]{3}") || (currency != null && !currency.equals(itemCurrency))) {
                errors.add(new Converted.RowError(row, "orderItems[" + i + "].itemPrice.currencyCode",
                        "must be an ISO 4217 code, the same for every item"));
            } else {
                currency = itemCurrency;
                String lineId = item.path("orderItemId").asText(Integer.toString(row));
                lines.add(new OrderLine(lineId, sku, quantity, amount.divide(BigDecimal.valueOf(quantity), 4, RoundingMode.HALF_EVEN)));
            }
        }
        if (lines.isEmpty()) {
            return new Converted(List.of(), errors);
        }
        OrderEvent event = OrderEvent.newBuilder()
                .setEventId(UUID.nameUUIDFromBytes((channel + "\nmarketplace-order\n" + orderId).getBytes(StandardCharsets.UTF_8)))
                .setEventTime(purchased).setChannel(channel).setSourceSystem(sourceSystem).setOrderId(orderId)
                .setPayload(OrderPlaced.newBuilder().setCurrency(currency).setLines(lines)
                        .setFulfillmentMethod(FulfillmentMethod.SHIP_TO_HOME).build())
                .build();
        return new Converted(List.of(new Converted.Accepted(0, Converted.Destination.ORDERS, orderId, event)), errors);
    }
}
