package dev.vigil.app.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class BearerAuthTest {
    private static final String TOKEN = "0123456789abcdef-token";

    @Test
    void shouldAdmitOnlyTheBearerTokenItself() {
        BearerAuth auth = new BearerAuth(TOKEN);
        assertNull(auth.refusal("Bearer " + TOKEN));
        assertNull(auth.refusal("bearer " + TOKEN), "the scheme is case-insensitive");
        assertNull(auth.refusal("Bearer " + TOKEN + " "), "surrounding blanks are not part of the token");
        assertEquals("missing", auth.refusal(null));
        assertEquals("not a bearer token", auth.refusal("Basic " + TOKEN));
        assertEquals("not a bearer token", auth.refusal(TOKEN));
        assertEquals("not a bearer token", auth.refusal("Bear"));
        assertEquals("invalid", auth.refusal("Bearer "));
        assertEquals("invalid", auth.refusal("Bearer " + TOKEN.substring(1)), "a prefix of the token");
        assertEquals("invalid", auth.refusal("Bearer " + TOKEN + "0"), "the token and more");
        assertEquals("invalid", auth.refusal("Bearer " + TOKEN.toUpperCase()), "tokens are case-sensitive");
    }
}
