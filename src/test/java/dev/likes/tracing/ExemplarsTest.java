package dev.likes.tracing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Exemplars are looked for only where traces are exported. */
class ExemplarsTest {

    @Test
    void exportedTracesGiveTheRegistryQuarkusSampler() {
        assertTrue(Exemplars.of(false).isPresent());
    }

    @Test
    void withTheSdkDisabledTheRegistryGetsNoSampler() {
        assertFalse(Exemplars.of(true).isPresent());
    }
}
