package dev.omnistock.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * What one test class owns on the shared stack: topics under its own prefix and its own ClickHouse
 * database, so that test classes never see each other's data.
 */
public final class TestNamespace {

    private final RealStack stack;
    private final String prefix;
    private final String database;
    private final Set<String> createdTopics = new HashSet<>();
    private boolean databaseCreated;

    TestNamespace(RealStack stack, Class<?> testClass) {
        this.stack = stack;
        String id = testClass.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "")
                + "_" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
        this.prefix = id + ".";
        this.database = "test_" + id;
    }

    /** Put in front of every topic name this class uses, e.g. as OMNISTOCK_TOPIC_PREFIX. */
    public String topicPrefix() {
        return prefix;
    }

    public String topic(String name) {
        return prefix + name;
    }

    /** Creates {@code prefix + name} for each name (once), with the given partitions; returns the full names. */
    public synchronized List<String> createTopics(int partitions, String... names) {
        List<String> full = Arrays.stream(names).map(this::topic).toList();
        List<NewTopic> missing = full.stream().filter(t -> !createdTopics.contains(t))
                .map(t -> new NewTopic(t, partitions, (short) 1)).toList();
        if (!missing.isEmpty()) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers()))) {
                admin.createTopics(missing).all().get();
                awaitKnown(admin, missing.stream().map(NewTopic::name).toList());
            } catch (ExecutionException e) {
                throw new IllegalStateException("Could not create test topics " + full, e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            missing.forEach(t -> createdTopics.add(t.name()));
        }
        return full;
    }

    /**
     * Until the broker answers for every partition of the topics with its leader: a create returns before
     * the broker has applied it, and a consumer asking for the topic's metadata then may find no topic (Kafka
     * Streams stops on a missing source topic).
     */
    private static void awaitKnown(Admin admin, List<String> topics) throws ExecutionException, InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                boolean led = admin.describeTopics(topics).allTopicNames().get().values().stream()
                        .allMatch(t -> t.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
                if (led) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.RetriableException) || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Test topics " + topics + " have no leader after 60 s");
            }
            Thread.sleep(100);
        }
    }

    /** This class's ClickHouse database, created on first use. */
    public synchronized String clickHouseDatabase() {
        if (!databaseCreated) {
            clickHouse("CREATE DATABASE IF NOT EXISTS " + database);
            databaseCreated = true;
        }
        return database;
    }

    public String clickHouseJdbcUrl() {
        return stack.clickHouseJdbcUrl(clickHouseDatabase());
    }

    private void clickHouse(String statement) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.clickHouseHttpUrl() + "/"))
                .POST(HttpRequest.BodyPublishers.ofString(statement)).build();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("ClickHouse refused '" + statement + "': " + response.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("ClickHouse at " + stack.clickHouseHttpUrl() + " did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
