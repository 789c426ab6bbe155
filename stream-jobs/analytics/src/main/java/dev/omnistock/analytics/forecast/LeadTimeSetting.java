package dev.omnistock.analytics.forecast;

import java.io.Serializable;

/**
 * A SKU's replenishment lead time from the settings topic.
 *
 * @param leadTimeDays -1: the setting names none, the default applies
 */
public record LeadTimeSetting(String sku, long at, int leadTimeDays) implements Serializable {
}
