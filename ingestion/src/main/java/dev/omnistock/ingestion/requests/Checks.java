package dev.omnistock.ingestion.requests;

import dev.omnistock.ids.Ids;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Collects field errors while a request is checked. */
final class Checks {

    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    private final List<FieldError> errors = new ArrayList<>();

    List<FieldError> errors() {
        return List.copyOf(errors);
    }

    void id(String field, String value) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(field, "is required"));
        } else if (!Ids.valid(value)) {
            errors.add(new FieldError(field, "must be " + Ids.FORM));
        }
    }

    void optionalId(String field, String value) {
        if (value != null) {
            id(field, value);
        }
    }

    void positive(String field, Integer value) {
        if (value == null) {
            errors.add(new FieldError(field, "is required"));
        } else if (value <= 0) {
            errors.add(new FieldError(field, "must be more than 0, was " + value));
        }
    }

    void notNegative(String field, Integer value, boolean required) {
        if (value == null) {
            if (required) {
                errors.add(new FieldError(field, "is required"));
            }
        } else if (value < 0) {
            errors.add(new FieldError(field, "must be 0 or more, was " + value));
        }
    }

    void nonZero(String field, Integer value) {
        if (value == null) {
            errors.add(new FieldError(field, "is required"));
        } else if (value == 0) {
            errors.add(new FieldError(field, "must not be 0"));
        }
    }

    void price(String field, BigDecimal value) {
        if (value == null) {
            errors.add(new FieldError(field, "is required"));
        } else if (value.signum() < 0) {
            errors.add(new FieldError(field, "must be 0 or more"));
        } else if (value.stripTrailingZeros().scale() > 4) {
            errors.add(new FieldError(field, "has more than 4 decimal places"));
        } else if (value.precision() - value.scale() > 14) {
            errors.add(new FieldError(field, "is too large"));
        }
    }

    void currency(String field, String value) {
        if (value == null || !CURRENCY.matcher(value).matches()) {
            errors.add(new FieldError(field, "must be an ISO 4217 code such as EUR"));
        }
    }

    <E extends Enum<E>> void oneOf(String field, String value, Class<E> type, boolean required) {
        if (value == null) {
            if (required) {
                errors.add(new FieldError(field, "is required"));
            }
            return;
        }
        try {
            Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(field, "must be one of " + java.util.Arrays.toString(type.getEnumConstants())));
        }
    }

    void nonEmpty(String field, List<?> list) {
        if (list == null || list.isEmpty()) {
            errors.add(new FieldError(field, "must have at least one entry"));
        }
    }

    void add(String field, String message) {
        errors.add(new FieldError(field, message));
    }
}
