package dev.likes.support;

import java.util.UUID;

/** Fresh ids, so that tests sharing one database never see each other's items. */
public final class TestIds {

    private TestIds() {
    }

    public static String fresh(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 13);
    }
}
