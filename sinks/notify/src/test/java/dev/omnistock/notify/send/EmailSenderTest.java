package dev.omnistock.notify.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.omnistock.notify.delivery.Delivery;
import dev.omnistock.notify.notices.Notice;
import dev.omnistock.notify.subscriptions.Subscription;
import dev.omnistock.testsupport.FreePorts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EmailSenderTest {

    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
    private static final Notice NOTICE = new Notice("n-1", "inventory.alert.low_stock", NOW, List.of("SKU-1"), List.of("DC-1"), null,
            "LOW STOCK SKU-1", Map.of("sku", "SKU-1"));
    private static final Subscription BUYERS = new Subscription("s-1", new Subscription.Destination(Subscription.Kind.EMAIL,
            "buyers@example.com"), Subscription.Filter.ALL, List.of(Signatures.newSecret()), null, NOW, null, null, null);

    private GreenMail server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private int start(String protocol) {
        int port = FreePorts.one();
        server = new GreenMail(new ServerSetup(port, "127.0.0.1", protocol));
        server.start();
        server.setUser("notifier@omnistock.test", "notifier", "app-password");
        return port;
    }

    private static EmailSender.Smtp smtp(int port, EmailSender.Tls tls, String user, String password) {
        return new EmailSender.Smtp("127.0.0.1", port, "notifier@omnistock.test", user, password, tls, Duration.ofSeconds(5));
    }

    @Test
    void aLoginWithoutTlsIsRefusedSayingWhatToSet() {
        assertThatThrownBy(() -> smtp(25, EmailSender.Tls.NONE, "notifier", "app-password"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NOTIFY_SMTP_TLS=starttls").hasMessageContaining("smtps")
                .message().doesNotContain("app-password");
        assertThatThrownBy(() -> smtp(25, EmailSender.Tls.NONE, null, "app-password")).hasMessageContaining("NOTIFY_SMTP_TLS");
    }

    @Test
    void withStartTlsRequiredAServerThatDoesNotOfferItGetsNoLoginNorMail() {
        int port = start(ServerSetup.PROTOCOL_SMTP); // GreenMail offers no STARTTLS
        Delivery.Result result = new EmailSender(smtp(port, EmailSender.Tls.STARTTLS, "notifier", "app-password")).send(BUYERS, NOTICE, NOW);
        assertThat(result.delivered()).isFalse();
        assertThat(result.error()).containsPattern("error id [0-9a-f-]{36}").doesNotContain("127.0.0.1").doesNotContain(Integer.toString(port));
        assertThat(server.getReceivedMessages()).isEmpty();
    }

    @Test
    void smtpsLogsInOverTls() throws Exception {
        int port = start(ServerSetup.PROTOCOL_SMTPS);
        Properties trustTheTestServer = new Properties();
        trustTheTestServer.put("mail.smtp.ssl.trust", "127.0.0.1");
        trustTheTestServer.put("mail.smtp.ssl.checkserveridentity", "false");
        Delivery.Result result = new EmailSender(smtp(port, EmailSender.Tls.SMTPS, "notifier", "app-password"), trustTheTestServer)
                .send(BUYERS, NOTICE, NOW);
        assertThat(result.delivered()).as(String.valueOf(result.error())).isTrue();
        assertThat(server.getReceivedMessages()).hasSize(1);
        assertThat(server.getReceivedMessages()[0].getHeader("X-Omnistock-Notice-Id")[0]).isEqualTo("n-1");
    }
}
