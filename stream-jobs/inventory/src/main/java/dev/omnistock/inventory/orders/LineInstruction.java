package dev.omnistock.inventory.orders;

import java.util.Optional;

/**
 * What an order asks of one SKU's ledger for one of its lines.
 *
 * @param quantity      for RELEASE, 0 means everything still reserved
 * @param locationId    where it happens: SHIP and RETURN always, RESERVE when the customer asked for a location
 * @param locationOnly  RESERVE only: nowhere but locationId will do
 * @param sold          RESERVE only: the units were sold at locationId already (a till sale), so they are
 *                      reserved there whatever the ledger believes is available
 */
public record LineInstruction(String orderId, String lineId, String sku, Action action, int quantity, Optional<String> locationId,
                              boolean locationOnly, boolean sold) {

    public LineInstruction(String orderId, String lineId, String sku, Action action, int quantity, Optional<String> locationId) {
        this(orderId, lineId, sku, action, quantity, locationId, false, false);
    }

    public enum Action { RESERVE, RELEASE, SHIP, RETURN_RESELLABLE, RETURN_DAMAGED }
}
