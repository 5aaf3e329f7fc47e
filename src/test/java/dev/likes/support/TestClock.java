package dev.likes.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import jakarta.inject.Singleton;

/**
 * The service's clock in tests (it replaces the default one): the system clock until a test
 * freezes it, then a clock that moves only when the test advances it.
 */
@Singleton
public class TestClock extends Clock {

    private volatile Instant frozen;

    public void freezeAt(Instant instant) {
        frozen = instant;
    }

    public synchronized void advance(Duration duration) {
        frozen = instant().plus(duration);
    }

    public void reset() {
        frozen = null;
    }

    @Override
    public Instant instant() {
        Instant at = frozen;
        return at == null ? Instant.now() : at;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the service's clock is UTC");
    }
}
