package dev.omnistock.notify;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real HTTP endpoints for the notifier to deliver to: each path answers with the responses queued for
 * it, one per request (the last one for ever after), and records every request once it has answered it.
 */
final class Receiver implements AutoCloseable {

    /** What the endpoint answers: a status, a Retry-After (or null), and how long it first waits. */
    record Answer(int status, String retryAfter, long delayMillis) {
        static Answer status(int status) {
            return new Answer(status, null, 0);
        }
    }

    record Request(String path, Instant at, Map<String, String> headers, byte[] body, int answeredWith) {
        String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    private final HttpServer server;
    private final Map<String, Deque<Answer>> answers = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> arrivals = new ConcurrentHashMap<>();

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            arrivals.computeIfAbsent(exchange.getRequestURI().getPath(), path -> new AtomicInteger()).incrementAndGet();
            Answer answer = next(exchange.getRequestURI().getPath());
            if (answer.delayMillis() > 0) {
                try {
                    Thread.sleep(answer.delayMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Map<String, String> headers = new ConcurrentHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
            requests.add(new Request(exchange.getRequestURI().getPath(), Instant.now(), headers, body, answer.status()));
            if (answer.retryAfter() != null) {
                exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
            }
            exchange.sendResponseHeaders(answer.status(), -1);
            exchange.close();
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Queues answers for a path; without any, a path answers 204. */
    void answer(String path, Answer... queued) {
        answers.put(path, new ArrayDeque<>(List.of(queued)));
    }

    private synchronized Answer next(String path) {
        Deque<Answer> queued = answers.get(path);
        if (queued == null || queued.isEmpty()) {
            return Answer.status(204);
        }
        return queued.size() > 1 ? queued.poll() : queued.peek();
    }

    List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** Requests that reached a path, answered or not yet (an answer may be delayed). */
    int arrivals(String path) {
        AtomicInteger count = arrivals.get(path);
        return count == null ? 0 : count.get();
    }

    /** Requests for a path that were acknowledged (2xx), by webhook-id. */
    List<String> acknowledgedIds(String path) {
        return requests(path).stream().filter(r -> r.answeredWith() / 100 == 2).map(r -> r.header("webhook-id")).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
