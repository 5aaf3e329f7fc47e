package dev.likes.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** Path templates as patterns, for the Allow header of a 405: one segment per parameter. */
class AllowedMethodsTest {

    @Test
    void aParameterIsOneSegment() {
        Pattern likes = AllowedMethods.pattern("/v1/items/{itemId}/likes/{userId}");
        assertTrue(likes.matcher("/v1/items/a/likes/b").matches());
        assertFalse(likes.matcher("/v1/items/a/likes").matches());
        assertFalse(likes.matcher("/v1/items/a/x/likes/b").matches());
    }

    @Test
    void aClassPathAndAMethodPathJoinWithOneSlash() {
        Pattern item = AllowedMethods.pattern("/v1/items/" + "/{itemId}");
        assertTrue(item.matcher("/v1/items/post-1").matches());
        assertTrue(AllowedMethods.pattern("/v1/rankings/").matcher("/v1/rankings").matches());
    }

    @Test
    void literalPartsAreNotPatterns() {
        assertFalse(AllowedMethods.pattern("/v1/a.b").matcher("/v1/aXb").matches());
    }
}
