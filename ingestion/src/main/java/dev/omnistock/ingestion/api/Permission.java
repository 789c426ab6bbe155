package dev.omnistock.ingestion.api;

import dev.omnistock.events.KeyRole;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a key may do through this API (the README's "Who may do what"). Whose orders a channel's key
 * may cancel, ship or take returns of is the inventory service's to say: it knows each order's
 * channel ({@code OrderAuthority}), so those endpoints only ask for a role that may act on some order.
 */
enum Permission {

    PLACE_ORDERS("place orders", KeyRole.CHANNEL),
    CANCEL_ORDERS("cancel orders", KeyRole.CHANNEL, KeyRole.ADMIN),
    SHIP_ORDERS("ship orders", KeyRole.CHANNEL, KeyRole.WAREHOUSE, KeyRole.ADMIN),
    TAKE_RETURNS("take in returns", KeyRole.CHANNEL, KeyRole.WAREHOUSE, KeyRole.ADMIN),
    MOVE_STOCK("post stock movements", KeyRole.WAREHOUSE, KeyRole.ADMIN),
    CHANGE_SETTINGS("change settings", KeyRole.ADMIN);

    private final String action;
    private final Set<KeyRole> roles;

    Permission(String action, KeyRole first, KeyRole... more) {
        this.action = action;
        this.roles = EnumSet.of(first, more);
    }

    /** Refuses with 403 a sender whose key may not do this. */
    void check(Sender sender) {
        if (!roles.contains(sender.role())) {
            throw new ProblemException(403, "Not allowed", "This " + sender + " key may not " + action + "; that takes a "
                    + String.join(" or ", roles.stream().map(r -> r == KeyRole.CHANNEL ? "sales channel's" : r.name()).toList())
                    + " key (INGESTION_API_KEYS)");
        }
    }
}
