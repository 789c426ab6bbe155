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

/** E-mail through an SMTP server (Jakarta Mail): the notice's summary as the subject, its content as the text. */
public final class EmailSender implements Sender {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param user     null to send without logging in
     * @param password from the environment only
     */
    public record Smtp(String host, int port, String from, String user, String password, boolean startTls, Duration timeout) {
        @Override
        public String toString() {
            return "Smtp[" + host + ":" + port + " from " + from + (user == null ? "" : " as " + user) + "]";
        }
    }

    private final Smtp smtp;
    private final Session session;

    public EmailSender(Smtp smtp) {
        this.smtp = smtp;
        Properties props = new Properties();
        props.put("mail.smtp.host", smtp.host());
        props.put("mail.smtp.port", Integer.toString(smtp.port()));
        String millis = Long.toString(smtp.timeout().toMillis());
        props.put("mail.smtp.connectiontimeout", millis);
        props.put("mail.smtp.timeout", millis);
        props.put("mail.smtp.writetimeout", millis);
        props.put("mail.smtp.starttls.enable", Boolean.toString(smtp.startTls()));
        props.put("mail.smtp.starttls.required", Boolean.toString(smtp.startTls()));
        props.put("mail.smtp.auth", Boolean.toString(smtp.user() != null));
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
            return Delivery.Result.failed(null, (System.nanoTime() - started) / 1_000_000, "SMTP " + smtp.host() + ":" + smtp.port() + ": "
                    + e.getMessage(), Optional.empty());
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
