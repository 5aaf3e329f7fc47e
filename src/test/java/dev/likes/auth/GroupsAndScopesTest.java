package dev.likes.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;

/** What a token holds: its groups always; its OAuth scopes only when the operator trusts them. */
class GroupsAndScopesTest {

    private static DefaultJWTCallerPrincipal token(String claim, Object value) {
        JwtClaims claims = new JwtClaims();
        claims.setSubject("shop-backend");
        claims.setClaim(claim, value);
        return new DefaultJWTCallerPrincipal(claims);
    }

    @Test
    void aGroupCountsWhateverTheSetting() {
        var grouped = token("groups", List.of(AccessPolicy.ACT_FOR_USERS));
        assertTrue(AccessPolicy.holds(grouped, AccessPolicy.ACT_FOR_USERS, false));
        assertTrue(AccessPolicy.holds(grouped, AccessPolicy.ACT_FOR_USERS, true));
        assertFalse(AccessPolicy.holds(grouped, AccessPolicy.ADMIN, true));
    }

    @Test
    void aScopeCountsOnlyWhenTrusted() {
        for (var scoped : List.of(token("scope", "openid likes:act-for-users"), token("scp", List.of("likes:act-for-users")))) {
            assertFalse(AccessPolicy.holds(scoped, AccessPolicy.ACT_FOR_USERS, false));
            assertTrue(AccessPolicy.holds(scoped, AccessPolicy.ACT_FOR_USERS, true));
        }
        assertFalse(AccessPolicy.holds(token("scope", "likes:act-for-users-too"), AccessPolicy.ACT_FOR_USERS, true));
    }
}
