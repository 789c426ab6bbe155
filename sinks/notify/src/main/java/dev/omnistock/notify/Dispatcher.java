package dev.omnistock.notify;

import dev.omnistock.notify.delivery.Delivery;
import dev.omnistock.notify.delivery.DeliveryStore;
import dev.omnistock.notify.delivery.DueQueue;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each due delivery to a worker, one attempt of a delivery at a time, while the notifier may
 * deliver (it holds its input) and only the deliveries this node delivers (of its input partitions);
 * a slow destination holds one worker and never the others. A due delivery of another node's partition
 * is passed over: should this node take that partition over, the take-over puts it in line again.
 */
final class Dispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final DueQueue due;
    private final DeliveryStore deliveries;
    private final Attempts attempts;
    private final Clock clock;
    private final BooleanSupplier mayDeliver;
    private final Predicate<Delivery> delivers;
    private final ExecutorService workers;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param mayDeliver whether attempts may begin now (false: the due ones wait)
     * @param delivers   whether this node delivers a delivery now (false: it is passed over)
     */
    Dispatcher(DueQueue due, DeliveryStore deliveries, Attempts attempts, int workers, Clock clock, BooleanSupplier mayDeliver,
               Predicate<Delivery> delivers) {
        this.due = due;
        this.deliveries = deliveries;
        this.attempts = attempts;
        this.clock = clock;
        this.mayDeliver = mayDeliver;
        this.delivers = delivers;
        this.workers = Executors.newFixedThreadPool(workers, runnable -> {
            Thread thread = new Thread(runnable, "notify-worker");
            thread.setDaemon(true);
            return thread;
        });
        this.thread = new Thread(this::run, "notify-dispatcher");
    }

    Dispatcher start() {
        thread.start();
        return this;
    }

    boolean alive() {
        return thread.isAlive();
    }

    int inFlight() {
        return inFlight.size();
    }

    private void run() {
        try {
            while (running) {
                String id = due.take();
                while (running && !mayDeliver.getAsBoolean()) {
                    Thread.sleep(100);
                }
                deliveries.get(id).filter(delivers).ifPresent(delivery -> {
                    if (delivery.dueAt(clock.instant()) && due.isFirstInLane(id) && inFlight.add(id)) {
                        workers.execute(() -> attempt(id));
                    } else if (delivery.status() == Delivery.Status.PENDING && delivery.nextAttemptAt().isAfter(clock.instant())) {
                        due.offer(delivery); // taken early (a clock moved back, say): in line again
                    }
                });
            }
        } catch (InterruptedException e) {
            // stopping
        } catch (RuntimeException | Error e) {
            log.error("The notifier's dispatcher stopped: no delivery is attempted any more; /health/live says DOWN. Restart the "
                    + "notifier (nothing is lost: pending deliveries resume from notify-deliveries)", e);
            throw e;
        }
    }

    private void attempt(String id) {
        try {
            // Its partition may have gone to another node while it waited for a worker.
            if (mayDeliver.getAsBoolean() && deliveries.get(id).filter(delivers).isPresent()) {
                attempts.attempt(id);
            }
        } catch (RuntimeException e) {
            // Kafka away while recording (retried until it is back, so only when stopping), or a bug: the delivery stays as written last.
            log.warn("Delivery {} could not be recorded: {}", id, e.toString());
        } finally {
            inFlight.remove(id);
            // Its next attempt (or a redelivery asked for while this one was under way) goes in line again.
            deliveries.get(id).ifPresent(due::offer);
        }
    }

    /** Stops taking deliveries and waits for the attempts under way. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        workers.shutdown();
        try {
            thread.join(5_000);
            if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("{} attempts still under way after 30 s; stopping without them (their notices go out again after a restart)",
                        inFlight.size());
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
