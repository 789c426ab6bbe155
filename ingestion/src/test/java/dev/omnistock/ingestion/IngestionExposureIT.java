package dev.omnistock.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnistock.config.Config;
import dev.omnistock.ingestion.api.IngestionApi;
import dev.omnistock.testsupport.ExposureChecks;
import dev.omnistock.testsupport.FreePorts;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a web page in an operator's browser could send the ingestion API is refused, even with a key in hand; its clients' requests pass. */
@ExtendWith(RealStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestionExposureIT {

    private static final String WEB_KEY = "web-exposure-key";
    private static final String POS_KEY = "pos-exposure-key";
    private static final String SALE = "store_id,transaction_id,line_no,sku,quantity,unit_price,currency,sold_at\n"
            + "STORE-1,T-EXPOSURE-1,1,SKU-MUG,1,7.50,EUR,2026-11-23T10:01:00Z\n";

    private IngestionApi api;

    @BeforeAll
    void start(RealStack stack, TestNamespace ns) {
        api = IngestionService.start(Config.of(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers(),
                "SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl(),
                "OMNISTOCK_TOPIC_PREFIX", ns.topicPrefix(),
                "OMNISTOCK_TOPIC_PARTITIONS", "1",
                "INGESTION_HTTP_PORT", Integer.toString(FreePorts.one()),
                "INGESTION_ALLOWED_HOSTS", "ingest.shop.example",
                "INGESTION_API_KEYS", "WEB:" + WEB_KEY + ",STORE_POS:" + POS_KEY)));
    }

    @AfterAll
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void aForeignHostAForeignOriginAndAPlainTextPostAreRefused() throws Exception {
        ExposureChecks.assertRefusesBrowserAttacks(api.port(), "/v1/orders", Map.of("X-Api-Key", WEB_KEY));
    }

    @Test
    void jsonFromAConfiguredNameIsAccepted() throws Exception {
        ExposureChecks.Answer accepted = ExposureChecks.send(api.port(), "POST", "/v1/orders", Map.of("Host", "ingest.shop.example",
                "Origin", "https://ingest.shop.example", "X-Api-Key", WEB_KEY, "Content-Type", "application/json"),
                "{\"orderId\":\"O-EXPOSURE-1\",\"currency\":\"EUR\",\"lines\":[{\"lineId\":\"1\",\"sku\":\"SKU-MUG\",\"quantity\":1,\"unitPrice\":7.50}]}");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    }

    @Test
    void aBodyOfTheWrongShapeIsAProblemThatSaysWhereNotTheParsersText() throws Exception {
        Map<String, String> json = Map.of("Host", "127.0.0.1:" + api.port(), "X-Api-Key", WEB_KEY, "Content-Type", "application/json");
        ExposureChecks.Answer array = ExposureChecks.send(api.port(), "POST", "/v1/orders", json, "[1, 2]");
        assertThat(array.status()).isEqualTo(400);
        assertThat(array.body()).contains("/openapi.json").doesNotContain("dev.omnistock").doesNotContain("OrderRequests");
        ExposureChecks.Answer cut = ExposureChecks.send(api.port(), "POST", "/v1/orders", json, "{\n\"orderId\": ");
        assertThat(cut.status()).isEqualTo(400);
        assertThat(cut.body()).contains("line 2").doesNotContain("Source").doesNotContain("Exception");
    }

    @Test
    void theCsvAdaptersTakeCsvAndNothingElse() throws Exception {
        Map<String, String> csv = Map.of("Host", "127.0.0.1:" + api.port(), "X-Api-Key", POS_KEY, "Content-Type", "text/csv; charset=utf-8");
        ExposureChecks.Answer accepted = ExposureChecks.send(api.port(), "POST", "/v1/adapters/pos/sales", csv, SALE);
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        for (String type : new String[] {"text/plain", "application/json", "application/x-www-form-urlencoded"}) {
            ExposureChecks.Answer refused = ExposureChecks.send(api.port(), "POST", "/v1/adapters/pos/sales",
                    Map.of("Host", "127.0.0.1:" + api.port(), "X-Api-Key", POS_KEY, "Content-Type", type), SALE);
            assertThat(refused.status()).as(type + ": " + refused.body()).isEqualTo(415);
            assertThat(refused.body()).contains("text/csv");
        }
    }
}
