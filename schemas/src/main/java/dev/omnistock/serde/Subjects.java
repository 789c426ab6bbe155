package dev.omnistock.serde;

/** Confluent's topic-name strategy: one subject per topic and side. */
public final class Subjects {

    private Subjects() {
    }

    public static String forTopic(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }

    public static String valueSubject(String topic) {
        return forTopic(topic, false);
    }
}
