package dev.omnistock.ingestion.requests;

import dev.omnistock.events.Channel;
import java.time.Instant;
import java.util.UUID;

/** What every canonical event carries besides its payload: decided by the API, not the body. */
public record Envelope(UUID eventId, Instant eventTime, Channel channel, String sourceSystem) {
}
