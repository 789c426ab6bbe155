package dev.omnistock.notify.send;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnistock.notify.delivery.Delivery;
import dev.omnistock.notify.notices.Notice;
import dev.omnistock.notify.subscriptions.Subscription;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** E-mail through an SMTP server (Jakarta Mail): the notice's summary as the subject, its content as the text. */
public final class EmailSender implements Sender {

    private static final Logger log = LoggerFactory.getLogger(EmailSender.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How the connection to the SMTP server is protected. */
    public enum Tls {
        /** Plain text: only for a relay the notifier reaches without crossing a network others share. */
        NONE,
        /** Plain connection upgraded with STARTTLS before anything else is sent; a server that does not offer it is refused. */
        STARTTLS,
        /** TLS from the first byte (SMTPS). */
        SMTPS
    }

    /**
     * @param user     null to send without logging in
     * @param password from the environment only
     * @throws IllegalArgumentException for credentials without TLS: they would cross the network readable
     */
    public record Smtp(String host, int port, String from, String user, String password, Tls tls, Duration timeout) {
        public Smtp {
            if ((user != null || password != null) && tls == Tls.NONE) {
                throw new IllegalArgumentException("An SMTP login (NOTIFY_SMTP_USER, NOTIFY_SMTP_PASSWORD) is sent only over TLS: set "
                        + "NOTIFY_SMTP_TLS=starttls (submission, usually port 587) or smtps (usually port 465), or remove the login");
            }
        }

        @Override
        public String toString() {
            return "Smtp[" + host + ":" + port + " " + tls + " from " + from + (user == null ? "" : " as " + user) + "]";
        }
    }

    private final Smtp smtp;
    private final Session session;

    public EmailSender(Smtp smtp) {
        this(smtp, new Properties());
    }

    /** @param extra Jakarta Mail properties over the notifier's own (tests trust a test server's certificate) */
    EmailSender(Smtp smtp, Properties extra) {
        this.smtp = smtp;
        Properties props = new Properties();
        props.put("mail.smtp.host", smtp.host());
        props.put("mail.smtp.port", Integer.toString(smtp.port()));
        String millis = Long.toString(smtp.timeout().toMillis());
        props.put("mail.smtp.connectiontimeout", millis);
        props.put("mail.smtp.timeout", millis);
        props.put("mail.smtp.writetimeout", millis);
        boolean startTls = smtp.tls() == Tls.STARTTLS;
        props.put("mail.smtp.starttls.enable", Boolean.toString(startTls));
        props.put("mail.smtp.starttls.required", Boolean.toString(startTls));
        props.put("mail.smtp.ssl.enable", Boolean.toString(smtp.tls() == Tls.SMTPS));
        props.put("mail.smtp.ssl.checkserveridentity", "true");
        props.put("mail.smtp.auth", Boolean.toString(smtp.user() != null));
        props.putAll(extra);
        this.session = smtp.user() == null ? Session.getInstance(props) : Session.getInstance(props, new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(smtp.user(), smtp.password() == null ? "" : smtp.password());
            }
        });
    }

    @Override
    public Delivery.Result send(Subscription subscription, Notice notice, Instant now) {
        long started = System.nanoTime();
        try {
            MimeMessage message = new MimeMessage(session);
            message.setFrom(new InternetAddress(smtp.from()));
            message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(subscription.destination().target()));
            message.setSubject("[omnistock] " + notice.summary(), "UTF-8");
            message.setSentDate(Date.from(now));
            // Mail clients and filters can drop a notice they already have by this header.
            message.setHeader("X-Omnistock-Notice-Id", notice.id());
            message.setText(text(notice), "UTF-8");
            Transport.send(message);
            return Delivery.Result.delivered(250, (System.nanoTime() - started) / 1_000_000);
        } catch (MessagingException e) {
            return Delivery.Result.failed(null, (System.nanoTime() - started) / 1_000_000,
                    FailureLog.logged(log, "E-mail through the SMTP server", subscription.maskedTarget(), e), Optional.empty());
        }
    }

    private static String text(Notice notice) {
        try {
            return notice.summary() + "\n\nKind: " + notice.kind() + "\nWhen: " + notice.occurredAt() + "\nNotice id: " + notice.id()
                    + "\n\n" + JSON.writerWithDefaultPrettyPrinter().writeValueAsString(notice.data()) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a notice as JSON", e);
        }
    }
}
