package dev.omnistock.ids;

import java.util.regex.Pattern;

/**
 * The one form of every id the services take from outside: order, line, shipment, return and inbound
 * ids, SKUs, locations and customers. Every service checks ids with this class, so that an id one
 * accepts another can look up. No '/': ids travel as one segment of a URL path
 * ({@code /v1/orders/{orderId}}, {@code /v1/availability/{sku}}), where a '/' would start the next.
 */
public final class Ids {

    /** The pattern itself, e.g. for an OpenAPI document. */
    public static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9._:-]{0,99}";
    /** What a valid id looks like, for error messages. */
    public static final String FORM = "1 to 100 letters, digits and . _ : -, starting with a letter or digit";

    private static final Pattern ID = Pattern.compile(PATTERN);

    private Ids() {
    }

    public static boolean valid(String id) {
        return id != null && ID.matcher(id).matches();
    }
}
