package dev.omnistock.ingestion.api;

import dev.omnistock.events.Channel;
import dev.omnistock.events.KeyRole;
import java.util.Optional;

/**
 * Who sent a request, as its API key says: a sales channel (its events carry that channel), a
 * warehouse (WAREHOUSE) or an admin (events carry UNKNOWN: an admin is no channel).
 */
public record Sender(KeyRole role, Channel channel) {

    public static final String ADMIN = "ADMIN";

    /** The sender an INGESTION_API_KEYS entry's prefix names: a channel, WAREHOUSE or ADMIN. */
    static Optional<Sender> named(String prefix) {
        if (prefix.equals(ADMIN)) {
            return Optional.of(new Sender(KeyRole.ADMIN, Channel.UNKNOWN));
        }
        try {
            Channel channel = Channel.valueOf(prefix);
            if (channel == Channel.UNKNOWN) {
                return Optional.empty();
            }
            return Optional.of(new Sender(channel == Channel.WAREHOUSE ? KeyRole.WAREHOUSE : KeyRole.CHANNEL, channel));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return role == KeyRole.CHANNEL ? channel + " channel" : role.name();
    }
}
