package dev.omnistock.notify.persist;

import dev.omnistock.notify.delivery.Delivery;

/** For tests outside the package: the Avro record of a delivery. */
public final class AvroStateFormatAccess {

    private AvroStateFormatAccess() {
    }

    public static Object toAvro(Delivery delivery) {
        return AvroStateFormat.toAvro(delivery);
    }
}
