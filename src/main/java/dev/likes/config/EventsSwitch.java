package dev.likes.config;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Whether like events are on: whether Quarkus' standard {@code kafka.bootstrap.servers} is set
 * (dev.likes.events records and relays the events), read once at start.
 */
@ApplicationScoped
public class EventsSwitch {

    private final boolean on;

    public EventsSwitch(@ConfigProperty(name = "kafka.bootstrap.servers") Optional<String> brokers) {
        this.on = brokers.filter(servers -> !servers.isBlank()).isPresent();
    }

    /** Whether events are on. */
    public boolean on() {
        return on;
    }
}
