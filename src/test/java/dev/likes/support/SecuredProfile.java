package dev.likes.support;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The service as production runs it: tokens required, toggle-storm limits on (small, to reach them quickly). */
public class SecuredProfile implements QuarkusTestProfile {

    public static final int CHANGES_PER_ITEM = 3;
    public static final int CHANGES_PER_USER = 5;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "likes.auth.enabled", "true",
                "likes.limit.changes-per-item", String.valueOf(CHANGES_PER_ITEM),
                "likes.limit.changes-per-user", String.valueOf(CHANGES_PER_USER));
    }
}
