package dev.omnistock.inventory.api;

import dev.omnistock.config.RoleKeys;
import dev.omnistock.events.Channel;
import java.util.Optional;

/**
 * Who asks the storefront API, as its key says (INVENTORY_API_KEYS). A channel's key ("WEB:key", a
 * storefront) reads availability and follows its own channel's orders; an agent's key ("AGENT:key",
 * customer service) any order; a plain key ("key", e.g. the dashboard's) availability only. With no
 * keys configured the API is open to this machine, and every caller reads everything.
 *
 * @param channel the channel whose orders a channel's key reads; empty for the others
 */
public record Reader(Kind kind, Optional<Channel> channel) {

    public enum Kind { CHANNEL, AGENT, AVAILABILITY_ONLY, OPEN }

    public static final String AGENT = "AGENT";
    static final Reader OPEN = new Reader(Kind.OPEN, Optional.empty());

    /** @param spec "WEB:key,AGENT:key,key" */
    public static RoleKeys<Reader> keys(String setting, String spec) {
        return RoleKeys.parse(setting, spec, Reader::named, Optional.of(new Reader(Kind.AVAILABILITY_ONLY, Optional.empty())));
    }

    private static Optional<Reader> named(String prefix) {
        if (prefix.equals(AGENT)) {
            return Optional.of(new Reader(Kind.AGENT, Optional.empty()));
        }
        try {
            Channel channel = Channel.valueOf(prefix);
            return channel == Channel.UNKNOWN ? Optional.empty() : Optional.of(new Reader(Kind.CHANNEL, Optional.of(channel)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether it may read orders at all (a plain key may not). */
    boolean readsOrders() {
        return kind != Kind.AVAILABILITY_ONLY;
    }

    /** Whether it may read and follow an order of this channel. */
    boolean mayRead(String orderChannel) {
        return switch (kind) {
            case AGENT, OPEN -> true;
            case CHANNEL -> channel.orElseThrow().name().equals(orderChannel);
            case AVAILABILITY_ONLY -> false;
        };
    }
}
