package dev.omnistock.notify.send;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnistock.notify.delivery.Delivery;
import dev.omnistock.notify.notices.Notice;
import dev.omnistock.notify.subscriptions.Subscription;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhooks (signed, Standard Webhooks) and Slack incoming webhooks (Slack's message shape, unsigned:
 * the URL is the secret). A 2xx within the timeout is success; redirects are not followed, and count
 * as failures, so a notice never lands somewhere nobody subscribed. The {@link TargetGuard} checks
 * every target right before each attempt: one it refuses is not sent.
 *
 * <p>The client looks the host up again to connect, and may get another answer than the guard did
 * (DNS rebinding). So for a target the operator did not allow-list, every failure before an HTTP
 * status (refused connection, TLS failure, unresolved name, timeout) is told as the timeout: one text,
 * the timeout as latency, and the attempt ends when the timeout would have. Otherwise what failed and
 * how fast would tell a subscriber which ports are open on the notifier's network. The detail goes
 * to the notifier's log.
 */
public final class HttpSender implements Sender {

    private static final Logger log = LoggerFactory.getLogger(HttpSender.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final Duration timeout;
    private final TargetGuard guard;
    private final String userAgent;

    public HttpSender(Duration timeout, TargetGuard guard) {
        this(timeout, guard, null);
    }

    /** @param node the notifier node's instance id, named in the User-Agent (null: none), so a receiver can tell nodes apart */
    public HttpSender(Duration timeout, TargetGuard guard, String node) {
        this.timeout = timeout;
        this.guard = guard;
        this.userAgent = node == null ? "omnistock-notifier" : "omnistock-notifier (" + node + ")";
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public Delivery.Result send(Subscription subscription, Notice notice, Instant now) {
        URI target = URI.create(subscription.destination().target());
        Optional<String> refused = guard.refusalBeforeSending(target);
        if (refused.isPresent()) {
            log.warn("Not sending notice {} to subscription {} ({}): {}", notice.id(), subscription.id(), subscription.maskedTarget(),
                    refused.get());
            return Delivery.Result.failed(null, 0, refused.get(), Optional.empty());
        }
        byte[] body = subscription.destination().kind() == Subscription.Kind.SLACK ? slackBody(notice) : webhookBody(notice);
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", userAgent)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (subscription.destination().kind() == Subscription.Kind.WEBHOOK) {
            long timestamp = now.getEpochSecond();
            request.header("webhook-id", notice.id())
                    .header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", Signatures.header(subscription.signingSecrets(now), notice.id(), timestamp, body));
        }
        boolean detailed = guard.allowListed(target);
        long started = System.nanoTime();
        // The whole attempt (connect, headers and body) within the timeout: a receiver trickling its answer holds no worker for longer.
        CompletableFuture<HttpResponse<Void>> call = http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding());
        try {
            HttpResponse<Void> response = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            long latency = (System.nanoTime() - started) / 1_000_000;
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return Delivery.Result.delivered(status, latency);
            }
            Optional<Duration> retryAfter = status == 429 || status == 503
                    ? response.headers().firstValue("Retry-After").flatMap(value -> retryAfter(value, now)) : Optional.empty();
            return Delivery.Result.failed(status, latency, status >= 300 && status < 400 ? "redirected (not followed)" : "HTTP " + status,
                    retryAfter);
        } catch (TimeoutException e) {
            call.cancel(true);
            return detailed ? Delivery.Result.failed(null, (System.nanoTime() - started) / 1_000_000, noAnswer(), Optional.empty())
                    : toldAsTimeout();
        } catch (ExecutionException e) {
            Exception cause = e.getCause() instanceof Exception c ? c : e;
            if (detailed && cause instanceof HttpTimeoutException) { // the client's connect timeout: a timeout too
                return Delivery.Result.failed(null, (System.nanoTime() - started) / 1_000_000, noAnswer(), Optional.empty());
            }
            if (detailed) {
                return Delivery.Result.failed(null, (System.nanoTime() - started) / 1_000_000,
                        FailureLog.logged(log, "HTTP request", subscription.maskedTarget(), cause), Optional.empty());
            }
            log.warn("HTTP request to {} for notice {} failed, told to the subscriber as a timeout: {}", subscription.maskedTarget(),
                    notice.id(), cause.toString());
            holdUntil(started + timeout.toNanos());
            return toldAsTimeout();
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            return Delivery.Result.failed(null, 0, "interrupted (the notifier is stopping)", Optional.empty());
        }
    }

    private String noAnswer() {
        return "no complete answer within " + timeout.toMillis() + " ms";
    }

    /** A failure without an HTTP status, to a target not allow-listed: exactly what a timeout gives. */
    private Delivery.Result toldAsTimeout() {
        return Delivery.Result.failed(null, timeout.toMillis(), noAnswer(), Optional.empty());
    }

    /** Keeps a quick failure's attempt as long as a timeout: when it ends is in the delivery log too. */
    private static void holdUntil(long deadlineNanos) {
        for (long left = deadlineNanos - System.nanoTime(); left > 0; left = deadlineNanos - System.nanoTime()) {
            try {
                TimeUnit.NANOSECONDS.sleep(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the notifier is stopping
                return;
            }
        }
    }

    /** Retry-After as seconds or as an HTTP date. */
    static Optional<Duration> retryAfter(String value, Instant now) {
        String v = value.trim();
        if (v.matches("\\d{1,9}")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
        }
        try {
            Duration until = Duration.between(now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            return Optional.of(until.isNegative() ? Duration.ZERO : until);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Standard Webhooks' recommended shape: type, timestamp, data; the id too, for receivers that log bodies. */
    static byte[] webhookBody(Notice notice) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", notice.kind());
        body.put("id", notice.id());
        body.put("timestamp", notice.occurredAt().toString());
        body.put("data", notice.data());
        return json(body);
    }

    static byte[] slackBody(Notice notice) {
        String text = notice.summary();
        return json(Map.of(
                "text", text,
                "blocks", List.of(
                        Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", "*" + text + "*")),
                        Map.of("type", "context", "elements", List.of(Map.of("type", "mrkdwn",
                                "text", "`" + notice.kind() + "` · " + notice.occurredAt() + " · id " + notice.id()))))));
    }

    private static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a notice as JSON", e);
        }
    }
}
