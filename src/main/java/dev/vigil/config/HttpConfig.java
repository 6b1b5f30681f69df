package dev.vigil.config;

import dev.vigil.BadConfigException;

import java.util.regex.Pattern;

/**
 * The HTTP endpoint of {@code vigil run}: liveness ({@code /health}), readiness ({@code /ready}), Prometheus
 * metrics ({@code /metrics}) and per-sensor queries ({@code /sensors/{key}}, {@code /sensors/{key}/history}).
 * Immutable; keys {@code http.*} of {@code config/vigil.properties}, read by {@link AppConfigLoader}.
 *
 * @param enabled        serve HTTP; default true
 * @param host           address to bind; default 127.0.0.1 (0.0.0.0: every interface, as in a container)
 * @param port           port to bind, 0..65535; 0 takes any free port; default 8080
 * @param advertisedHost host name or address other instances use to reach this one (Kafka Streams
 *                       {@code application.server} = advertised host : bound port), so a query for a key held
 *                       elsewhere is forwarded; null (default): {@code host}, or this machine's host name when
 *                       {@code host} is a wildcard address
 * @param authToken      key {@code http.auth.token}: when set, {@code /metrics}, {@code /sensors/...} and the
 *                       dashboard's {@code /api/...} answer only requests with {@code Authorization: Bearer <token>}
 *                       (401 otherwise; {@code /health}, {@code /ready} and the dashboard's static files stay open),
 *                       and an instance sends it with the lookups it forwards, so every instance needs the same one;
 *                       {@value #MIN_TOKEN_LENGTH} to {@value #MAX_TOKEN_LENGTH} characters of {@code A-Z a-z 0-9
 *                       - . _ ~ + / =}; a secret (never logged); null (default): no token required
 */
public record HttpConfig(boolean enabled, String host, int port, String advertisedHost, String authToken) {
    public static final int MIN_TOKEN_LENGTH = 16;
    public static final int MAX_TOKEN_LENGTH = 1024;
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:-]{1,253}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/=-]+");

    /** The one place defaults live. */
    public static HttpConfig defaults() {
        return new HttpConfig(true, "127.0.0.1", 8080, null, null);
    }

    /** No HTTP endpoint. */
    public static HttpConfig disabled() {
        return new HttpConfig(false, "127.0.0.1", 8080, null, null);
    }

    /** Without a token. */
    public HttpConfig(boolean enabled, String host, int port, String advertisedHost) {
        this(enabled, host, port, advertisedHost, null);
    }

    public HttpConfig {
        if (host == null || !HOST.matcher(host).matches()) {
            throw new BadConfigException("http.host must be a host name or address, got '" + host + "'");
        }
        if (port < 0 || port > 65_535) {
            throw new BadConfigException("http.port must be in [0, 65535], got " + port);
        }
        if (advertisedHost != null && (!HOST.matcher(advertisedHost).matches() || advertisedHost.contains(":"))) {
            throw new BadConfigException("http.advertised.host must be a host name or IPv4 address, got '"
                    + advertisedHost + "'");
        }
        // the message never shows the token
        if (authToken != null && (authToken.length() < MIN_TOKEN_LENGTH || authToken.length() > MAX_TOKEN_LENGTH
                || !TOKEN.matcher(authToken).matches())) {
            throw new BadConfigException("http.auth.token must be " + MIN_TOKEN_LENGTH + " to " + MAX_TOKEN_LENGTH
                    + " characters of A-Z a-z 0-9 - . _ ~ + / =, got " + authToken.length() + " characters"
                    + (TOKEN.matcher(authToken).matches() ? "" : " with others among them"));
        }
    }

    /** Whether requests to the data endpoints need {@link #authToken}. */
    public boolean requiresToken() {
        return authToken != null;
    }

    /** The settings with the token shown as {@value AppConfig#HIDDEN} (a record's default would print it). */
    @Override
    public String toString() {
        return "HttpConfig[enabled=" + enabled + ", host=" + host + ", port=" + port + ", advertisedHost="
                + advertisedHost + ", authToken=" + (authToken == null ? null : AppConfig.HIDDEN) + "]";
    }

    /** True when {@code host} binds every interface (0.0.0.0 or ::), so it cannot be advertised as it is. */
    public boolean wildcardHost() {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }
}
