package dev.vigil.app.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The bearer token the data endpoints require when {@code http.auth.token} is set (RFC 6750): a request without
 * {@code Authorization: Bearer <token>}, or with another token, gets 401 with a JSON error and
 * {@code WWW-Authenticate: Bearer realm="vigil"} ({@code , error="invalid_token"} for a wrong one). Tokens are
 * compared as SHA-256 digests with {@link MessageDigest#isEqual}, so the time taken tells neither the token's
 * characters nor its length. Neither the expected nor the offered token is ever logged or echoed. Thread-safe.
 */
final class BearerAuth {
    static final String REALM = "vigil";
    private static final String SCHEME = "Bearer ";

    /** SHA-256 of the token, or null when none is required. */
    private final byte[] expected;

    /** @param token the token to require, or null for none */
    BearerAuth(String token) {
        this.expected = token == null ? null : sha256(token);
    }

    /** {@code handler}, answering only requests that carry the token (all requests when none is required). */
    HttpHandler require(HttpHandler handler) {
        if (expected == null) {
            return handler;
        }
        return exchange -> {
            String refusal = refusal(exchange.getRequestHeaders().getFirst("Authorization"));
            if (refusal == null) {
                handler.handle(exchange);
            } else {
                reject(exchange, refusal);
            }
        };
    }

    /** Why a request with this Authorization header is refused, or null when it carries the token. */
    String refusal(String authorization) {
        if (authorization == null) {
            return "missing";
        }
        if (!authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return "not a bearer token";
        }
        byte[] offered = sha256(authorization.substring(SCHEME.length()).strip());
        return MessageDigest.isEqual(expected, offered) ? null : "invalid";
    }

    private static void reject(HttpExchange exchange, String refusal) throws IOException {
        boolean invalid = refusal.equals("invalid");
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"" + REALM + "\""
                + (invalid ? ", error=\"invalid_token\"" : ""));
        HttpEndpoint.sendJson(exchange, 401, HttpEndpoint.error(invalid ? "invalid bearer token"
                : "this endpoint needs the header 'Authorization: Bearer <token>' (http.auth.token); the request's"
                + " Authorization header is " + refusal));
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
