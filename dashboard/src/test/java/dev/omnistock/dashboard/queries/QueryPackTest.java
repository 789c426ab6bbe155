package dev.omnistock.dashboard.queries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.omnistock.testsupport.InfraScripts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class QueryPackTest {

    private final QueryPack pack = QueryPack.load();

    @Test
    void queriesListsEveryFileOfTheSqlPack() throws IOException {
        Path dir = InfraScripts.repoRoot().resolve("infra/clickhouse/queries");
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
            assertThat(pack.all().stream().map(NamedQuery::name).sorted().toList()).isEqualTo(names);
        }
    }

    @Test
    void aNameMayStandForSeveralPlaceholders() {
        NamedQuery alerts = pack.find("recent_alerts").orElseThrow();
        assertThat(alerts.parameters()).extracting(Parameter::name).containsExactly("kind", "sku", "location", "limit");
        assertThat(alerts.bind(Map.of("sku", "SKU-1", "limit", "20"))).containsExactly("", "", "SKU-1", "SKU-1", "", "", 20);
    }

    @Test
    void timesAndLimitsAreCheckedAndTheRangeBounded() {
        NamedQuery minutes = pack.find("units_per_minute_by_channel").orElseThrow();
        assertThat(minutes.maxRange()).isEqualTo(Duration.ofHours(48));
        assertThat(minutes.bind(Map.of("from", "0", "to", "60000"))).containsExactly(0L, 60_000L);
        assertThatThrownBy(() -> minutes.bind(Map.of("from", "yesterday", "to", "60000")))
                .isInstanceOfSatisfying(NamedQuery.InvalidParameters.class,
                        e -> assertThat(e.problems()).containsOnlyKeys("from").hasEntrySatisfying("from", m -> assertThat(m).contains("epoch milliseconds")));
        assertThatThrownBy(() -> minutes.bind(Map.of("from", "0", "to", Long.toString(Duration.ofDays(3).toMillis()))))
                .isInstanceOfSatisfying(NamedQuery.InvalidParameters.class, e -> assertThat(e.problems().get("to")).contains("at most 48 hours"));
        assertThatThrownBy(() -> minutes.bind(Map.of("from", "60000", "to", "60000")))
                .isInstanceOfSatisfying(NamedQuery.InvalidParameters.class, e -> assertThat(e.problems().get("to")).contains("after from"));
        assertThatThrownBy(() -> pack.find("top_sellers").orElseThrow().bind(Map.of("from", "0", "to", "1", "limit", "100000")))
                .isInstanceOfSatisfying(NamedQuery.InvalidParameters.class, e -> assertThat(e.problems().get("limit")).contains("1 to 1000"));
    }

    @Test
    void requiredUnknownAndMalformedParametersAreAllNamed() {
        NamedQuery alerts = pack.find("recent_alerts").orElseThrow();
        assertThatThrownBy(() -> alerts.bind(Map.of("sku", "x'; DROP TABLE t", "sql", "SELECT 1")))
                .isInstanceOfSatisfying(NamedQuery.InvalidParameters.class,
                        e -> assertThat(e.problems()).containsOnlyKeys("sku", "sql", "limit"));
    }

    @Test
    void aHeaderThatDoesNotMatchItsPlaceholdersIsRefusedAtStart() {
        assertThatThrownBy(() -> QueryPack.parse("bad", "-- params: from:time\nSELECT ? + ?"))
                .hasMessageContaining("2 '?' but its params line names 1");
        assertThatThrownBy(() -> QueryPack.parse("bad", "-- no params line\nSELECT 1")).hasMessageContaining("no '-- params:' line");
    }
}
