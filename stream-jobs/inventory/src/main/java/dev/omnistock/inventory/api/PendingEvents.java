package dev.omnistock.inventory.api;

import java.nio.charset.StandardCharsets;

/**
 * The Server-Sent Events a feed client has yet to take: appended by the feed's thread, written out in
 * one piece. A client that falls behind for a while grows the buffer to up to the feed's pending limit;
 * kept at that size, every client that ever lagged would hold megabytes for as long as it stays
 * connected, so a buffer grown past {@link #KEEP_CAPACITY_CHARS} starts afresh once it is written out.
 */
final class PendingEvents {

    /** Room for a few hundred changes: what a client that keeps up needs between two polls. */
    static final int KEEP_CAPACITY_CHARS = 64 * 1024;

    private StringBuilder text = new StringBuilder();

    void append(String events) {
        text.append(events);
    }

    boolean isEmpty() {
        return text.isEmpty();
    }

    int length() {
        return text.length();
    }

    int capacity() {
        return text.capacity();
    }

    /** All pending text as UTF-8; nothing is pending afterwards. */
    byte[] take() {
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        if (text.capacity() > KEEP_CAPACITY_CHARS) {
            text = new StringBuilder();
        } else {
            text.setLength(0);
        }
        return bytes;
    }
}
