package dev.omnistock.dashboard;

import static java.time.temporal.ChronoUnit.DAYS;
import static java.time.temporal.ChronoUnit.HOURS;
import static java.time.temporal.ChronoUnit.MINUTES;
import static java.util.Comparator.comparing;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnistock.clickhouse.ClickHouseConnection;
import dev.omnistock.clickhouse.Migrations;
import dev.omnistock.config.Config;
import dev.omnistock.dashboard.queries.NamedQuery;
import dev.omnistock.dashboard.queries.QueryPack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every query of the SQL pack through the dashboard's API, on the real ClickHouse with the analytics tables:
 * known rows are seeded, and each query's answer is held to figures this test works out from those rows.
 * The checks run with the JVM's default time zone set to UTC and to zones with odd offsets, as a dashboard
 * may run anywhere: times must come back as the same epoch milliseconds.
 */
@ExtendWith(RealStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardQueriesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    /** The seeded range: [start, end), two whole hours in the past; some rows lie just outside it. */
    private final Instant start = Instant.now().truncatedTo(HOURS).minus(3, HOURS);
    private final Instant end = start.plus(2, HOURS);
    private final Instant seededAt = Instant.now();

    private final List<Demand> demand = List.of(
            new Demand(at(-10), "SKU-1", "WEB", "DC-1", "EUR", 1, 1, "10.0000", 0, 0, 0, 1),
            new Demand(at(5), "SKU-1", "WEB", "DC-1", "EUR", 3, 2, "30.5000", 0, 0, 0, 1),
            // The same minute and dimensions again, corrected (a replay): this version is the one that counts.
            new Demand(at(5), "SKU-1", "WEB", "DC-1", "EUR", 4, 3, "40.7500", 0, 0, 0, 2),
            // A till sale: ordered and shipped at once.
            new Demand(at(5), "SKU-1", "STORE_POS", "STORE-1", "EUR", 2, 1, "19.0000", 0, 2, 0, 1),
            new Demand(at(17), "SKU-2", "WEB", "DC-1", "USD", 5, 1, "55.0000", 0, 0, 0, 1),
            new Demand(at(31), "SKU-2", "WEB", "DC-1", "USD", 0, 0, "0.0000", 2, 0, 0, 1),
            new Demand(at(62), "SKU-1", "WEB", "DC-2", "EUR", 0, 0, "0.0000", 0, 3, 0, 1),
            new Demand(at(75), "SKU-1", "WEB", "DC-2", "EUR", 0, 0, "0.0000", 0, 0, 1, 1),
            new Demand(at(80), "SKU-2", "MARKETPLACE", "DC-1", "USD", 1, 1, "12.2500", 0, 1, 0, 1),
            new Demand(at(125), "SKU-1", "WEB", "DC-1", "EUR", 9, 1, "90.0000", 0, 0, 0, 1),
            // Returns of units shipped before the range: more came back than shipped in it.
            new Demand(at(90), "SKU-5", "WEB", "DC-1", "EUR", 0, 0, "0.0000", 0, 0, 2, 1));

    private final List<Late> late = List.of(
            new Late(at(3).plusSeconds(10), "e1/l1", 2, 0, 0, 0),
            new Late(at(3).plusSeconds(10), "e1/l1", 2, 0, 0, 0),
            new Late(at(7), "e2/l1", 0, 1, 0, 0),
            new Late(at(12), "e3/l1", 0, 0, 3, 0),
            new Late(at(65), "e4/l1", 4, 0, 0, 0),
            new Late(at(66), "e5/l1", 0, 0, 0, 2),
            new Late(at(130), "e6/l1", 1, 0, 0, 0));

    private final List<Stock> stock = List.of(
            new Stock("SKU-1", "*", 1, 10), new Stock("SKU-1", "*", 2, 8), new Stock("SKU-1", "DC-1", 3, 5), new Stock("SKU-2", "*", 1, 3),
            new Stock("SKU-5", "*", 1, 4));

    private final List<Stockout> stockouts = List.of(
            new Stockout("SKU-2", "DC-1", seededAt.minus(30, MINUTES), null),
            new Stockout("SKU-1", "DC-1", at(15), null),
            new Stockout("SKU-1", "DC-1", at(15), at(40).plusSeconds(30)),
            new Stockout("SKU-1", "*", at(-20), at(10)),
            new Stockout("SKU-4", "DC-1", at(100), null),
            new Stockout("SKU-3", "DC-2", at(150), at(160)));

    private final List<Alert> alerts = List.of(
            new Alert(at(10), "SKU-1", "DC-1", "PREDICTED_STOCKOUT", 5, 3, at(300)),
            new Alert(at(40), "SKU-1", "DC-1", "LOW_STOCK", 2, 3, at(240)),
            new Alert(at(20), "SKU-3", "DC-1", "PREDICTED_STOCKOUT", 4, 3, at(360)),
            new Alert(at(50), "SKU-3", "DC-1", "OUT_OF_STOCK", 0, 3, null),
            new Alert(at(30), "SKU-4", "DC-2", "LOW_STOCK", 1, 2, null),
            new Alert(at(60), "SKU-2", "DC-2", "PREDICTED_STOCKOUT", 7, 3, at(210)));

    /** Orders by their status changes: a web order, a till sale, partial and whole cancels, a refusal, a return. */
    private final List<Change> changes = List.of(
            new Change("o-web", 1, at(10), "PLACED", 0), new Change("o-web", 2, at(10).plusMillis(4_200), "ACCEPTED", 0),
            new Change("o-web", 3, at(40), "SHIPPED", 2),
            new Change("o-till", 1, at(20), "PLACED", 0), new Change("o-till", 2, at(20).plusMillis(300), "SHIPPED", 1),
            new Change("o-part", 1, at(30), "PLACED", 0), new Change("o-part", 2, at(30).plusSeconds(9), "PARTIALLY_CANCELLED", 0),
            new Change("o-part", 3, at(50).plusSeconds(1), "SHIPPED", 1),
            new Change("o-cancel", 1, at(35), "PLACED", 0), new Change("o-cancel", 2, at(36), "CANCELLED", 0),
            new Change("o-reject", 1, at(38), "PLACED", 0), new Change("o-reject", 2, at(38).plusSeconds(1), "REJECTED", 0),
            new Change("o-return", 1, at(45), "PLACED", 0), new Change("o-return", 2, at(45).plusSeconds(30), "PARTIALLY_ACCEPTED", 0),
            new Change("o-return", 3, at(70), "SHIPPED", 2), new Change("o-return", 4, at(100), "PARTIALLY_RETURNED", 2),
            new Change("o-wait", 1, at(50), "PLACED", 0), new Change("o-wait", 2, at(52), "ACCEPTED", 0),
            new Change("o-before", 1, at(-5), "PLACED", 0), new Change("o-before", 2, at(1), "ACCEPTED", 0),
            new Change("o-after", 1, at(125), "PLACED", 0), new Change("o-after", 2, at(126), "SHIPPED", 1),
            // An order id placed again after its first order was forgotten: its sequence restarts at 1, and its placement
            // (the placing event's id) makes it another order. Both are in the range, with different times to accept.
            new Change("o-again", "e-first", 1, at(55), "PLACED", 0), new Change("o-again", "e-first", 2, at(55).plusSeconds(20), "ACCEPTED", 0),
            new Change("o-again", "e-first", 3, at(58), "SHIPPED", 1),
            new Change("o-again", "e-second", 1, at(90), "PLACED", 0), new Change("o-again", "e-second", 2, at(93), "ACCEPTED", 0));

    private final List<Attempt> attempts = List.of(
            new Attempt("d1", "sub-A", 1, at(5), 500, "RETRY", "HTTP 500", at(6)),
            new Attempt("d1", "sub-A", 2, at(6), 200, "DELIVERED", "", null),
            new Attempt("d2", "sub-B", 1, at(8), -1, "FAILED", "timed out", null));

    private DashboardService.Running dashboard;
    private String base;

    private Instant at(long minutesFromStart) {
        return start.plus(minutesFromStart, MINUTES);
    }

    @BeforeAll
    void start(TestNamespace ns) throws Exception {
        try (Connection connection = ClickHouseConnection.at(ns.clickHouseJdbcUrl()).open(); Statement sql = connection.createStatement()) {
            Migrations.apply(connection);
            sql.execute(insert("demand_per_minute (minute, sku, channel, location_id, currency, units_ordered, orders, revenue,"
                    + " units_cancelled, units_shipped, units_returned, version)", demand, d -> List.of(dateTime(d.minute), text(d.sku),
                    text(d.channel), text(d.location), text(d.currency), d.ordered, d.orders, d.revenue, d.cancelled, d.shipped, d.returned,
                    d.version)));
            sql.execute(insert("late_events (event_time, fact_id, sku, channel, location_id, currency, units_ordered, orders, revenue,"
                    + " units_cancelled, units_shipped, units_returned)", late, l -> List.of(millis(l.eventTime), text(l.factId),
                    "'SKU-1'", "'WEB'", "'DC-1'", "'EUR'", l.ordered, l.ordered, 0, l.cancelled, l.shipped, l.returned)));
            sql.execute(insert("availability_changes (sku, location_id, version, changed_at, available, on_hand, committed, unavailable)",
                    stock, s -> List.of(text(s.sku), text(s.location), s.version, millis(at(s.version)), s.onHand, s.onHand, 0, 0)));
            for (Stockout s : stockouts) {
                // Each its own insert, as the job writes the open row and later the closed one.
                sql.execute(insert("stockout_periods (sku, location_id, started_at, ended_at, closed)", List.of(s), p -> List.of(
                        text(p.sku), text(p.location), millis(p.startedAt), p.endedAt == null ? "NULL" : millis(p.endedAt), p.closed())));
            }
            sql.execute(insert("inventory_alerts (event_time, alert_id, sku, location_id, type, available, threshold, projected_stockout_at)",
                    alerts, a -> List.of(millis(a.eventTime), text(a.id().toString()), text(a.sku), text(a.location), text(a.type),
                            a.available, a.threshold, a.projected == null ? "NULL" : millis(a.projected))));
            for (int copy = 0; copy < 2; copy++) {
                // Written twice, as a replay would: each change counts once.
                sql.execute(insert("order_status_changes (order_id, placement, sequence, changed_at, channel, previous_status, status,"
                        + " caused_by, units_ordered, units_reserved, units_refused, units_shipped, units_cancelled, units_returned, units_expired)",
                        changes, c -> List.of(text(c.orderId), text(c.placement), c.sequence, millis(c.changedAt), "'WEB'", "''", text(c.status),
                                "''", 2, 0, 0, c.shipped, 0, 0, 0)));
            }
            sql.execute(insert("notification_attempts (delivery_id, subscription_id, notice_id, kind, destination_kind, attempt, attempted_at,"
                    + " status_code, latency_ms, outcome, failure, next_attempt_at)", attempts, a -> List.of(text(a.deliveryId),
                    text(a.subscription), text("n-" + a.deliveryId), "'LOW_STOCK'", "'WEBHOOK'", a.attempt, millis(a.attemptedAt), a.status,
                    a.attempt * 10, text(a.outcome), text(a.failure), a.nextAttemptAt == null ? "NULL" : millis(a.nextAttemptAt))));
        }
        dashboard = DashboardService.start(Config.of(Map.of("CLICKHOUSE_URL", ns.clickHouseJdbcUrl(), "DASHBOARD_HTTP_PORT", "0")));
        base = "http://127.0.0.1:" + dashboard.port();
    }

    @AfterAll
    void stop() {
        if (dashboard != null) {
            dashboard.close();
        }
    }

    @ParameterizedTest(name = "JVM time zone {0}")
    @ResourceLock(Resources.TIME_ZONE)
    @ValueSource(strings = {"UTC", "America/St_Johns", "Asia/Kolkata"})
    void everyQueryOfThePackAnswersTheSeededFigures(String zone) throws Exception {
        Map<String, Check> checks = checks();
        assertThat(checks.keySet()).as("a check for every query of the pack")
                .containsExactlyInAnyOrderElementsOf(QueryPack.load().all().stream().map(NamedQuery::name).toList());
        TimeZone before = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone(zone));
        try {
            SoftAssertions soft = new SoftAssertions();
            for (Check check : checks.values()) {
                check.run(soft);
            }
            soft.assertAll();
        } finally {
            TimeZone.setDefault(before);
        }
    }

    /** What each query must answer, worked out from the seeded rows. */
    private Map<String, Check> checks() {
        Map<String, Check> checks = new LinkedHashMap<>();
        String range = "from=" + start.toEpochMilli() + "&to=" + end.toEpochMilli();
        List<Demand> minutes = latest(demand);
        List<Demand> inRange = minutes.stream().filter(d -> within(d.minute, start, end)).toList();

        checks.put("units_per_minute_by_channel", soft -> soft.assertThat(rows("units_per_minute_by_channel?" + range)).isEqualTo(
                grouped(inRange, d -> List.of(d.minute, d.channel), List.of(Demand::ordered, Demand::orders))));
        checks.put("revenue_by_currency", soft -> soft.assertThat(rows("revenue_by_currency?" + range)).isEqualTo(
                sorted(grouped(inRange, d -> List.of(d.currency), List.of(Demand::revenue, Demand::orders, Demand::ordered)),
                        comparing((List<String> r) -> new BigDecimal(r.get(1))).reversed().thenComparing(r -> r.get(0)))));
        checks.put("top_sellers", soft -> soft.assertThat(rows("top_sellers?" + range + "&limit=2")).isEqualTo(
                sorted(grouped(minutes.stream().filter(d -> within(d.minute.truncatedTo(HOURS), start, end)).toList(),
                        d -> List.of(d.sku, d.currency), List.of(d -> d.ordered - d.cancelled - d.returned, Demand::revenue)),
                        comparing((List<String> r) -> Long.parseLong(r.get(2))).reversed().thenComparing(r -> r.get(0))).subList(0, 2)));
        checks.put("sku_demand_by_channel", soft -> soft.assertThat(rows("sku_demand_by_channel?" + range + "&sku=SKU-1")).isEqualTo(
                grouped(inRange.stream().filter(d -> d.sku.equals("SKU-1")).toList(), d -> List.of(d.minute, d.channel),
                        List.of(Demand::ordered, Demand::cancelled, Demand::shipped, Demand::returned))));
        checks.put("data_freshness", soft -> {
            Instant asked = Instant.now();
            List<String> row = rows("data_freshness").get(0);
            Instant newest = minutes.stream().map(Demand::minute).max(Instant::compareTo).orElseThrow();
            soft.assertThat(row.get(0)).as("newest minute").isEqualTo(value(newest));
            soft.assertThat(Long.parseLong(row.get(1))).as("last written").isBetween(seededAt.toEpochMilli() - 1_000, asked.toEpochMilli());
            soft.assertThat(Long.parseLong(row.get(2))).as("seconds since the newest minute ended").isBetween(
                    Duration.between(newest.plus(1, MINUTES), asked).toSeconds() - 1, Duration.between(newest.plus(1, MINUTES), Instant.now()).toSeconds() + 1);
            soft.assertThat(Long.parseLong(row.get(3))).as("rows stored, a replay until merged").isBetween((long) minutes.size(), (long) demand.size());
        });
        checks.put("late_events", soft -> soft.assertThat(rows("late_events?" + range)).isEqualTo(grouped(
                late.stream().distinct().filter(l -> within(l.eventTime, start, end)).toList(), l -> List.of(l.eventTime.truncatedTo(HOURS)),
                List.of(l -> 1, Late::ordered, Late::cancelled, Late::shipped, Late::returned))));
        checks.put("sell_through", soft -> {
            Instant from = start.truncatedTo(DAYS).minus(1, DAYS);
            Instant to = end.truncatedTo(DAYS).plus(1, DAYS);
            List<List<String>> expected = new ArrayList<>();
            grouped(minutes.stream().filter(d -> within(d.minute, from, to)).toList(), d -> List.of(d.sku), List.of(d -> d.shipped - d.returned))
                    .forEach(r -> {
                        long shipped = Long.parseLong(r.get(1));
                        long onHand = stock.stream().filter(s -> s.sku.equals(r.get(0)) && s.location.equals("*"))
                                .max(comparing(Stock::version)).map(Stock::onHand).orElse(0);
                        // A range that took back more than it shipped sold nothing through: its share is 0, not negative.
                        long sold = Math.max(shipped, 0);
                        expected.add(values(r.get(0), shipped, onHand, sold + onHand <= 0 ? 0
                                : BigDecimal.valueOf(sold).divide(BigDecimal.valueOf(sold + onHand), 4, RoundingMode.HALF_EVEN)));
                    });
            soft.assertThat(rows("sell_through?from=" + from.toEpochMilli() + "&to=" + to.toEpochMilli())).isEqualTo(
                    sorted(expected, comparing((List<String> r) -> new BigDecimal(r.get(3))).reversed().thenComparing(r -> r.get(0))));
        });

        List<Stockout> periods = stockoutPeriods();
        checks.put("out_of_stock_now", soft -> {
            long before = Instant.now().toEpochMilli();
            List<List<String>> answer = rows("out_of_stock_now?limit=10");
            long after = Instant.now().toEpochMilli();
            List<Stockout> open = periods.stream().filter(p -> p.endedAt == null).sorted(comparing(Stockout::startedAt)).toList();
            soft.assertThat(answer).extracting(r -> r.subList(0, 3)).isEqualTo(open.stream().map(p -> values(p.sku, p.location, p.startedAt)).toList());
            for (int i = 0; i < Math.min(open.size(), answer.size()); i++) {
                soft.assertThat(Double.parseDouble(answer.get(i).get(3))).as("minutes out").isBetween(
                        minutes(before - open.get(i).startedAt.toEpochMilli()) - 0.1, minutes(after - open.get(i).startedAt.toEpochMilli()) + 0.1);
            }
        });
        // SKU-1's periods are all closed: an open one's length would grow with the clock.
        checks.put("sku_stockout_periods", soft -> soft.assertThat(rows("sku_stockout_periods?" + range + "&sku=SKU-1")).isEqualTo(
                periods.stream().filter(p -> p.sku.equals("SKU-1") && p.endedAt != null && p.startedAt.isBefore(end) && p.endedAt.isAfter(start))
                        .sorted(comparing(Stockout::startedAt).reversed())
                        .map(p -> values(p.location, p.startedAt, p.endedAt, round(minutes(Duration.between(p.startedAt, p.endedAt).toMillis()), 1)))
                        .toList()));
        checks.put("stockout_minutes", soft -> {
            // Every period the range overlaps ends before now or is still open since before the range's end: its end is `end` then.
            Map<List<String>, Long> overlap = new TreeMap<>(Comparator.comparing(Object::toString));
            for (Stockout p : periods) {
                Instant until = p.endedAt == null || p.endedAt.isAfter(end) ? end : p.endedAt;
                Instant from = p.startedAt.isBefore(start) ? start : p.startedAt;
                if (from.isBefore(until)) {
                    overlap.merge(List.of(p.sku, p.location), Duration.between(from, until).toMillis(), Long::sum);
                }
            }
            List<List<String>> expected = overlap.entrySet().stream()
                    .map(e -> values(e.getKey().get(0), e.getKey().get(1), round(minutes(e.getValue()), 2))).toList();
            soft.assertThat(rows("stockout_minutes?" + range)).isEqualTo(sorted(expected,
                    comparing((List<String> r) -> new BigDecimal(r.get(2))).reversed().thenComparing(r -> r.get(0)).thenComparing(r -> r.get(1))));
        });

        Map<List<String>, Alert> latestAlerts = new TreeMap<>(Comparator.comparing(Object::toString));
        alerts.forEach(a -> latestAlerts.merge(List.of(a.sku, a.location), a, (x, y) -> x.eventTime.isAfter(y.eventTime) ? x : y));
        checks.put("predicted_stockouts", soft -> soft.assertThat(rows("predicted_stockouts?limit=10")).isEqualTo(latestAlerts.values().stream()
                .filter(a -> a.projected != null && List.of("PREDICTED_STOCKOUT", "LOW_STOCK").contains(a.type))
                .sorted(comparing(Alert::projected)).map(a -> values(a.sku, a.location, a.projected, a.available, a.eventTime)).toList()));
        checks.put("recent_alerts", soft -> {
            soft.assertThat(rows("recent_alerts?kind=PREDICTED_STOCKOUT&limit=10")).isEqualTo(newestAlerts(a -> a.type.equals("PREDICTED_STOCKOUT"), 10));
            soft.assertThat(rows("recent_alerts?sku=SKU-1&location=DC-1&limit=1")).isEqualTo(
                    newestAlerts(a -> a.sku.equals("SKU-1") && a.location.equals("DC-1"), 1));
        });
        checks.put("delivery_log", soft -> {
            soft.assertThat(rows("delivery_log?limit=10")).isEqualTo(attempts(a -> true));
            soft.assertThat(rows("delivery_log?subscription=sub-A&limit=10")).isEqualTo(attempts(a -> a.subscription.equals("sub-A")));
        });
        checks.put("fulfilment_funnel", soft -> soft.assertThat(rows("fulfilment_funnel?" + range)).containsExactly(funnel()));
        return checks;
    }

    /**
     * The funnel as its README defines it, from the seeded changes of the orders placed in the range: accepted once a
     * unit was reserved or shipped (a status other than PLACED, REJECTED, CANCELLED), shipped at the first unit shipped.
     */
    private List<String> funnel() {
        // An order is an order id and its placement: o-again is two orders.
        Map<List<String>, List<Change>> orders = changes.stream().collect(Collectors.groupingBy(c -> List.of(c.orderId, c.placement),
                LinkedHashMap::new, Collectors.toList()));
        long placed = 0;
        List<Long> toAccept = new ArrayList<>();
        List<Long> toShip = new ArrayList<>();
        for (List<Change> order : orders.values()) {
            Instant placedAt = order.stream().filter(c -> c.sequence == 1).findFirst().orElseThrow().changedAt;
            if (!within(placedAt, start, end)) {
                continue;
            }
            placed++;
            Instant acceptedAt = order.stream().filter(c -> !List.of("PLACED", "REJECTED", "CANCELLED").contains(c.status))
                    .map(Change::changedAt).min(Instant::compareTo).orElse(null);
            Instant shippedAt = order.stream().filter(c -> c.shipped > 0).map(Change::changedAt).min(Instant::compareTo).orElse(null);
            if (acceptedAt != null) {
                toAccept.add(Duration.between(placedAt, acceptedAt).toMillis());
            }
            if (shippedAt != null) {
                toShip.add(Duration.between(acceptedAt, shippedAt).toMillis());
            }
        }
        return values(placed, toAccept.size(), toShip.size(), medianSeconds(toAccept), medianSeconds(toShip));
    }

    private static long medianSeconds(List<Long> millis) {
        if (millis.isEmpty()) {
            return 0;
        }
        List<Long> sorted = millis.stream().sorted().toList();
        int middle = sorted.size() / 2;
        double median = sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2.0;
        return (long) Math.rint(median / 1000);
    }

    /** The stock-out periods as ClickHouse keeps them: the closed row of a period replaces its open one. */
    private List<Stockout> stockoutPeriods() {
        Map<List<Object>, Stockout> byIdentity = new LinkedHashMap<>();
        stockouts.forEach(s -> byIdentity.merge(List.of(s.sku, s.location, s.startedAt), s, (x, y) -> y.closed() >= x.closed() ? y : x));
        return List.copyOf(byIdentity.values());
    }

    private List<List<String>> newestAlerts(java.util.function.Predicate<Alert> which, int limit) {
        return alerts.stream().filter(which).sorted(comparing(Alert::eventTime).reversed()).limit(limit)
                .map(a -> values(a.eventTime, a.type, a.sku, a.location, a.available, a.threshold, a.projected, a.id().toString())).toList();
    }

    private List<List<String>> attempts(java.util.function.Predicate<Attempt> which) {
        return attempts.stream().filter(which).sorted(comparing(Attempt::attemptedAt).reversed())
                .map(a -> values(a.attemptedAt, a.subscription, "WEBHOOK", "LOW_STOCK", "n-" + a.deliveryId, a.attempt, a.status, a.outcome,
                        a.attempt * 10, a.failure, a.nextAttemptAt)).toList();
    }

    /** The rows of ReplacingMergeTree(version) FINAL: per identity, the highest version. */
    private static List<Demand> latest(List<Demand> rows) {
        Map<List<Object>, Demand> byIdentity = new LinkedHashMap<>();
        rows.forEach(d -> byIdentity.merge(List.of(d.minute, d.sku, d.channel, d.location, d.currency), d, (x, y) -> y.version >= x.version ? y : x));
        return List.copyOf(byIdentity.values());
    }

    /** Rows grouped by a key, each figure summed, in the key's order (times first, then text). */
    private static <T> List<List<String>> grouped(List<T> rows, Function<T, List<Object>> key, List<Function<T, Object>> figures) {
        Map<List<Object>, BigDecimal[]> sums = new TreeMap<>(DashboardQueriesIT::compareKeys);
        for (T row : rows) {
            BigDecimal[] sum = sums.computeIfAbsent(key.apply(row), k -> Stream.generate(() -> BigDecimal.ZERO).limit(figures.size()).toArray(BigDecimal[]::new));
            for (int i = 0; i < figures.size(); i++) {
                sum[i] = sum[i].add(new BigDecimal(figures.get(i).apply(row).toString()));
            }
        }
        List<List<String>> result = new ArrayList<>();
        sums.forEach((k, v) -> {
            List<Object> row = new ArrayList<>(k);
            row.addAll(Arrays.asList(v));
            result.add(values(row.toArray()));
        });
        return result;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareKeys(List<Object> a, List<Object> b) {
        for (int i = 0; i < a.size(); i++) {
            int c = ((Comparable) a.get(i)).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static List<List<String>> sorted(List<List<String>> rows, Comparator<List<String>> order) {
        return rows.stream().sorted(order).toList();
    }

    private static boolean within(Instant time, Instant from, Instant to) {
        return !time.isBefore(from) && time.isBefore(to);
    }

    private static double minutes(long millis) {
        return millis / 60_000.0;
    }

    private static BigDecimal round(double value, int places) {
        return BigDecimal.valueOf(value).setScale(places, RoundingMode.HALF_EVEN);
    }

    /** Values as the API's JSON carries them: times as epoch ms, numbers without trailing zeros. */
    private static List<String> values(Object... values) {
        return Arrays.stream(values).map(DashboardQueriesIT::value).toList();
    }

    private static String value(Object value) {
        if (value instanceof Instant time) {
            return Long.toString(time.toEpochMilli());
        } else if (value instanceof Number number) {
            return new BigDecimal(number.toString()).stripTrailingZeros().toPlainString();
        }
        return Objects.toString(value);
    }

    /** The rows of a query's answer through the API, each value as {@link #value} writes it. */
    private List<List<String>> rows(String pathAndQuery) throws Exception {
        HttpResponse<String> answer = get("/api/queries/" + pathAndQuery);
        assertThat(answer.statusCode()).as(pathAndQuery + ": " + answer.body()).isEqualTo(200);
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode row : JSON.readTree(answer.body()).get("rows")) {
            List<String> values = new ArrayList<>();
            row.forEach(v -> values.add(v.isNull() ? "null" : v.isNumber() ? value(v.decimalValue()) : v.asText()));
            rows.add(values);
        }
        return rows;
    }

    @Test
    void badInputIsAProblemNamingTheParameterNeverClickHouseText() throws Exception {
        HttpResponse<String> unknown = get("/api/queries/drop_everything");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));

        HttpResponse<String> wrongType = get("/api/queries/top_sellers?from=yesterday&to=1&limit=5");
        assertThat(wrongType.statusCode()).isEqualTo(400);
        JsonNode problem = JSON.readTree(wrongType.body());
        assertThat(problem.get("errors").get(0).get("field").asText()).isEqualTo("from");

        HttpResponse<String> huge = get("/api/queries/units_per_minute_by_channel?from=0&to=" + Instant.now().toEpochMilli());
        assertThat(huge.statusCode()).isEqualTo(400);
        assertThat(huge.body()).contains("at most 48 hours");

        HttpResponse<String> injection = get("/api/queries/recent_alerts?limit=5&sku=" + URLEncoder.encode("x' OR 1=1 --", StandardCharsets.UTF_8));
        assertThat(injection.statusCode()).isEqualTo(400);
    }

    @Test
    void clickHouseWithoutTheTablesIsA503WithoutItsErrorText(TestNamespace ns) throws Exception {
        String missing = ns.clickHouseJdbcUrl().replaceAll("/[^/]+$", "/no_such_database_" + System.nanoTime());
        try (DashboardService.Running other = DashboardService.start(Config.of(Map.of("CLICKHOUSE_URL", missing, "DASHBOARD_HTTP_PORT", "0")))) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + other.port()
                    + "/api/queries/data_freshness")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(503);
            assertThat(answer.body()).contains("error id").doesNotContain("DB::Exception").doesNotContain("Code:");
        }
    }

    @Test
    void thePagesAndTheChartCodeAreServedFromTheJar() throws Exception {
        String overview = get("/").body();
        assertThat(overview).contains("Units ordered per minute");
        assertThat(get("/sku.html").statusCode()).isEqualTo(200);
        assertThat(get("/alerts.html").statusCode()).isEqualTo(200);
        java.util.regex.Matcher script = java.util.regex.Pattern.compile("src=\"(/webjars/uplot/[^\"]+)\"").matcher(overview);
        assertThat(script.find()).as("the page loads uPlot from its WebJar").isTrue();
        assertThat(get(script.group(1)).statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    // Seeding: SQL text of the test's own values (times as epoch numbers, so no time zone is involved).

    private static <T> String insert(String tableAndColumns, List<T> rows, Function<T, List<Object>> values) {
        return "INSERT INTO " + tableAndColumns + " VALUES " + rows.stream()
                .map(r -> values.apply(r).stream().map(Object::toString).collect(Collectors.joining(", ", "(", ")"))).collect(Collectors.joining(", "));
    }

    private static String text(String value) {
        return "'" + value + "'";
    }

    private static String dateTime(Instant time) {
        return "toDateTime(" + time.getEpochSecond() + ", 'UTC')";
    }

    private static String millis(Instant time) {
        return "fromUnixTimestamp64Milli(toInt64(" + time.toEpochMilli() + "), 'UTC')";
    }

    interface Check {
        void run(SoftAssertions soft) throws Exception;
    }

    record Demand(Instant minute, String sku, String channel, String location, String currency, long ordered, long orders, String revenue,
                  long cancelled, long shipped, long returned, long version) {
    }

    record Late(Instant eventTime, String factId, long ordered, long cancelled, long shipped, long returned) {
    }

    record Stock(String sku, String location, int version, int onHand) {
    }

    record Stockout(String sku, String location, Instant startedAt, Instant endedAt) {
        int closed() {
            return endedAt == null ? 0 : 1;
        }
    }

    record Alert(Instant eventTime, String sku, String location, String type, int available, int threshold, Instant projected) {
        UUID id() {
            return UUID.nameUUIDFromBytes((sku + location + type + eventTime).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** @param placement the placing event's id; '' for the rows written before V007 added it */
    record Change(String orderId, String placement, long sequence, Instant changedAt, String status, int shipped) {
        Change(String orderId, long sequence, Instant changedAt, String status, int shipped) {
            this(orderId, "", sequence, changedAt, status, shipped);
        }
    }

    record Attempt(String deliveryId, String subscription, int attempt, Instant attemptedAt, int status, String outcome, String failure,
                   Instant nextAttemptAt) {
    }
}
