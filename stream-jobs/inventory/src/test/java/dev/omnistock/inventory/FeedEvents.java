package dev.omnistock.inventory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Reads Server-Sent Events off the availability feed in tests. */
final class FeedEvents {

    private FeedEvents() {
    }

    /** The fields of the next event of that name, skipping others; fails after the timeout. */
    static Map<String, String> next(BufferedReader lines, String eventName, Duration timeout) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                Map<String, String> fields = new HashMap<>();
                while ((line = lines.readLine()) != null) {
                    if (line.isEmpty()) {
                        if (eventName.equals(fields.get("event"))) {
                            return fields;
                        }
                        fields = new HashMap<>();
                    } else if (line.contains(": ")) {
                        fields.put(line.substring(0, line.indexOf(": ")), line.substring(line.indexOf(": ") + 2));
                    }
                }
                throw new IllegalStateException("feed closed before a '" + eventName + "' event");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
