package dev.omnistock.notify.persist;

import dev.omnistock.notify.delivery.Delivery;
import dev.omnistock.notify.subscriptions.Subscription;

/** How the state topics' values are written and read. */
public interface StateFormat {

    byte[] write(Delivery delivery);

    byte[] write(Subscription subscription);

    Delivery readDelivery(byte[] value);

    Subscription readSubscription(byte[] value);

    /** JSON of the records, as the state was written before it was Avro (tests without a registry use it too). */
    StateFormat JSON = new StateFormat() {
        @Override
        public byte[] write(Delivery delivery) {
            return StateCodec.bytes(delivery);
        }

        @Override
        public byte[] write(Subscription subscription) {
            return StateCodec.bytes(subscription);
        }

        @Override
        public Delivery readDelivery(byte[] value) {
            return StateCodec.read(value, Delivery.class);
        }

        @Override
        public Subscription readSubscription(byte[] value) {
            return StateCodec.read(value, Subscription.class);
        }
    };
}
