package dev.omnistock.notify.persist;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.omnistock.events.DestinationKind;
import dev.omnistock.events.NotifyAttempt;
import dev.omnistock.events.NotifyDelivery;
import dev.omnistock.events.NotifyFilter;
import dev.omnistock.events.NotifyNotice;
import dev.omnistock.events.NotifySubscription;
import dev.omnistock.notify.delivery.Delivery;
import dev.omnistock.notify.notices.Notice;
import dev.omnistock.notify.subscriptions.Subscription;
import dev.omnistock.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The state as Avro (NotifyDelivery, NotifySubscription in notify.avdl), in the registry's wire format
 * like every other topic: each record names the schema it was written with, and the registry's
 * compatibility check keeps a later schema able to read it (a field added has a default, a renamed
 * one keeps its old name as an alias). Records from before the state was Avro, JSON, are still read.
 * Times are kept to the microsecond.
 */
public final class AvroStateFormat implements StateFormat {

    private static final TypeReference<Map<String, Object>> DATA = new TypeReference<>() {
    };

    private final String deliveriesTopic;
    private final String subscriptionsTopic;
    private final Serializer<NotifyDelivery> deliveries;
    private final Deserializer<NotifyDelivery> deliveriesRead;
    private final Serializer<NotifySubscription> subscriptions;
    private final Deserializer<NotifySubscription> subscriptionsRead;

    public AvroStateFormat(Topics topics) {
        this.deliveriesTopic = topics.notifyDeliveries().name();
        this.subscriptionsTopic = topics.notifySubscriptions().name();
        this.deliveries = topics.notifyDeliveries().valueSerde().serializer();
        this.deliveriesRead = topics.notifyDeliveries().valueSerde().deserializer();
        this.subscriptions = topics.notifySubscriptions().valueSerde().serializer();
        this.subscriptionsRead = topics.notifySubscriptions().valueSerde().deserializer();
    }

    private static boolean json(byte[] value) {
        return value.length > 0 && value[0] == '{';
    }

    @Override
    public byte[] write(Delivery delivery) {
        return deliveries.serialize(deliveriesTopic, toAvro(delivery));
    }

    @Override
    public byte[] write(Subscription subscription) {
        return subscriptions.serialize(subscriptionsTopic, toAvro(subscription));
    }

    @Override
    public Delivery readDelivery(byte[] value) {
        return json(value) ? JSON.readDelivery(value) : fromAvro(deliveriesRead.deserialize(deliveriesTopic, value));
    }

    @Override
    public Subscription readSubscription(byte[] value) {
        return json(value) ? JSON.readSubscription(value) : fromAvro(subscriptionsRead.deserialize(subscriptionsTopic, value));
    }

    // ---- deliveries ----

    static NotifyDelivery toAvro(Delivery d) {
        Notice n = d.notice();
        NotifyNotice notice = NotifyNotice.newBuilder().setId(n.id()).setKind(n.kind()).setOccurredAt(micros(n.occurredAt()))
                .setSkus(new ArrayList<>(n.skus())).setLocations(new ArrayList<>(n.locations())).setChannel(n.channel())
                .setSummary(n.summary()).setDataJson(dataJson(n.data())).build();
        List<NotifyAttempt> attempts = new ArrayList<>();
        for (Delivery.Attempt a : d.attempts()) {
            attempts.add(NotifyAttempt.newBuilder().setNumber(a.number()).setAt(micros(a.at())).setStatusCode(a.statusCode())
                    .setLatencyMs(a.latencyMs()).setOutcome(a.outcome()).setFailure(a.error()).build());
        }
        return NotifyDelivery.newBuilder().setId(d.id()).setSubscriptionId(d.subscriptionId()).setNotice(notice)
                .setStatus(d.status().name()).setNextAttemptAt(micros(d.nextAttemptAt())).setCreatedAt(micros(d.createdAt()))
                .setAttempts(attempts).setRoundStart(d.roundStart()).build();
    }

    static Delivery fromAvro(NotifyDelivery d) {
        NotifyNotice n = d.getNotice();
        Notice notice = new Notice(n.getId(), n.getKind(), n.getOccurredAt(), strings(n.getSkus()), strings(n.getLocations()),
                n.getChannel(), n.getSummary(), data(n.getDataJson()));
        List<Delivery.Attempt> attempts = new ArrayList<>();
        for (NotifyAttempt a : d.getAttempts()) {
            attempts.add(new Delivery.Attempt(a.getNumber(), a.getAt(), a.getStatusCode(), a.getLatencyMs(), a.getOutcome(), a.getFailure()));
        }
        return new Delivery(d.getId(), d.getSubscriptionId(), notice, Delivery.Status.valueOf(d.getStatus()), d.getNextAttemptAt(),
                d.getCreatedAt(), List.copyOf(attempts), d.getRoundStart());
    }

    // ---- subscriptions ----

    static NotifySubscription toAvro(Subscription s) {
        Subscription.Filter f = s.filter();
        List<Instant> until = new ArrayList<>();
        if (s.secretsUntil() != null) {
            s.secretsUntil().forEach(at -> until.add(at == null ? null : micros(at)));
        }
        return NotifySubscription.newBuilder().setId(s.id()).setKind(DestinationKind.valueOf(s.destination().kind().name()))
                .setTarget(s.destination().target())
                .setFilter(NotifyFilter.newBuilder().setKinds(new ArrayList<>(f.kinds())).setSkus(new ArrayList<>(f.skus()))
                        .setSkuPrefixes(new ArrayList<>(f.skuPrefixes())).setLocations(new ArrayList<>(f.locations()))
                        .setChannels(new ArrayList<>(f.channels())).build())
                .setSecrets(new ArrayList<>(s.secrets())).setSecretsUntil(until).setPreviousSecretUntil(micros(s.previousSecretUntil()))
                .setCreatedAt(micros(s.createdAt())).setFailingSince(micros(s.failingSince())).setDisabledAt(micros(s.disabledAt()))
                .setDisabledReason(s.disabledReason()).build();
    }

    static Subscription fromAvro(NotifySubscription s) {
        NotifyFilter f = s.getFilter();
        List<Instant> until = s.getSecretsUntil().isEmpty() ? null : Collections.unmodifiableList(new ArrayList<>(s.getSecretsUntil()));
        return new Subscription(s.getId(), new Subscription.Destination(Subscription.Kind.valueOf(s.getKind().name()), s.getTarget()),
                new Subscription.Filter(strings(f.getKinds()), strings(f.getSkus()), strings(f.getSkuPrefixes()), strings(f.getLocations()),
                        strings(f.getChannels())),
                strings(s.getSecrets()), s.getPreviousSecretUntil(), s.getCreatedAt(), s.getFailingSince(), s.getDisabledAt(),
                s.getDisabledReason(), until);
    }

    // ---- values ----

    private static Instant micros(Instant at) {
        return at == null ? null : at.truncatedTo(ChronoUnit.MICROS);
    }

    private static List<String> strings(List<? extends CharSequence> values) {
        return values.stream().map(CharSequence::toString).toList();
    }

    private static String dataJson(Map<String, Object> data) {
        try {
            return StateCodec.JSON.writeValueAsString(data == null ? Map.of() : data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> data(String json) {
        try {
            return StateCodec.JSON.readValue(json, DATA);
        } catch (IOException e) {
            throw new UncheckedIOException("Unreadable notice data in the notifier's state", e);
        }
    }
}
