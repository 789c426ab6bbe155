package dev.omnistock.analytics.demand;

/** What happened to an order, as the demand figures see it. */
public enum OrderActivityKind {
    PLACED, CANCELLED, SHIPPED, RETURNED
}
