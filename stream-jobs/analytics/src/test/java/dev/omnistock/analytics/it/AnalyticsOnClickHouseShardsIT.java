package dev.omnistock.analytics.it;

import static dev.omnistock.analytics.it.Figures.DEMAND_TOTALS;
import static dev.omnistock.analytics.it.Figures.normalized;
import static dev.omnistock.analytics.it.Figures.totals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.omnistock.analytics.AnalyticsService;
import dev.omnistock.testsupport.ClickHouseShards;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The analytics job, embedded, writing to ClickHouse as two shards (two real servers, CLICKHOUSE_CLUSTER): it gives
 * both servers their tables, writes through the Distributed tables, and the SQL pack reads the figures of AnalyticsIT
 * exactly, FINAL included, from either server.
 */
@ExtendWith(RealStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnalyticsOnClickHouseShardsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final long DAY_START = Instant.parse("2026-11-23T00:00:00Z").toEpochMilli();
    private static final long DAY_END = DAY_START + Duration.ofDays(1).toMillis();

    private List<String> shardUrls;
    private final List<AnalyticsStack> stacks = new ArrayList<>();
    private AnalyticsService.Embedded job;

    @BeforeAll
    void runTheJob(RealStack real, TestNamespace ns) throws Exception {
        shardUrls = ClickHouseShards.shared().jdbcUrls(ns.clickHouseDatabase());
        AnalyticsStack stack = stackAsking(real, ns, 0);
        AnalyticsIT.sendKnownEvents(stack);
        job = stack.start();
        stackAsking(real, ns, 1); // the same cluster asked through the second server
    }

    /** The job's settings with ClickHouse as the two shards, CLICKHOUSE_URL naming shard {@code entry}'s server. */
    private AnalyticsStack stackAsking(RealStack real, TestNamespace ns, int entry) throws Exception {
        AnalyticsStack stack = new AnalyticsStack(real, ns, Map.of("CLICKHOUSE_URL", shardUrls.get(entry),
                "CLICKHOUSE_CLUSTER", ClickHouseShards.CLUSTER, "CLICKHOUSE_SHARD_URLS", String.join(",", shardUrls)));
        stacks.add(stack);
        return stack;
    }

    @AfterAll
    void stop() throws Exception {
        if (job != null) {
            job.close();
        }
        for (AnalyticsStack stack : stacks) {
            stack.close();
        }
    }

    @Test
    void theSqlPackReadsTheJobsFiguresExactlyThroughEitherServer() throws Exception {
        for (AnalyticsStack stack : stacks) {
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(normalized(stack.query(DEMAND_TOTALS.formatted("demand_per_minute")).get(0)))
                    .isEqualTo(totals(6, 3, "55", 2, 3, 0)));
            for (String view : List.of("demand_per_hour", "demand_per_day")) {
                assertThat(normalized(stack.query(DEMAND_TOTALS.formatted(view)).get(0))).as(view).isEqualTo(totals(6, 3, "55", 2, 3, 0));
            }
            assertThat(stack.pack("top_sellers", DAY_START, DAY_END, 10)).containsExactly(
                    List.of("SKU-A", "EUR", "3", "50.0000"), List.of("SKU-B", "EUR", "1", "5.0000"));
            // Written open at 10:01 and closed at 10:04: the closed row replaces the open one on SKU-A's shard.
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(stack.pack("stockout_minutes", DAY_START, DAY_END))
                    .containsExactly(List.of("SKU-A", "STORE-1", "3.0")));
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(stack.pack("fulfilment_funnel", DAY_START, DAY_END))
                    .containsExactly(List.of("1", "1", "1", "60", "120")));
            assertThat(stack.query("SELECT count() FROM (SELECT sku FROM demand_per_minute GROUP BY sku HAVING uniqExact(_shard_num) > 1)"))
                    .as("SKUs with rows on both shards").containsExactly(List.of("0"));
        }
    }
}
