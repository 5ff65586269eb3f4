package dev.cronhook.api;

import dev.cronhook.delivery.net.NetworkPolicy;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting of the server: the default comes from {@code application.yaml}, an environment variable overrides it.
 */
public record Settings(
        String host,
        int port,
        long maxRequestBody,
        Path dataDir,
        String dbUrl,
        String dbUser,
        String dbPassword,
        int poolSize,
        Duration dbWait,
        Optional<String> adminKey,
        Optional<Boolean> clustered,
        String schedulerName,
        Duration tickInterval,
        Duration lookahead,
        Duration executionRetention,
        Duration deliveryRetention,
        Duration incidentRetention,
        Duration shutdownGrace,
        Duration nodeTimeout,
        List<Duration> retryDelays,
        List<Duration> webhookRetryDelays,
        NetworkPolicy networkPolicy,
        int connectionsPerDestination,
        Duration connectTimeout,
        Optional<URI> publicUrl,
        Duration ackSweepInterval,
        Duration checkInterval,
        Duration pingRetention) {

    /** True when the embedded H2 database is used. */
    public boolean embedded() {
        return dbUrl.isBlank();
    }

    public static Settings load(Map<String, String> environment) {
        Config yaml = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.classpath("application.yaml"))
                .build();
        Source source = new Source(yaml, environment);
        String clustered = source.get("CRONHOOK_CLUSTERED", "scheduler.clustered").toLowerCase(Locale.ROOT);
        return new Settings(
                source.get("CRONHOOK_HOST", "server.host"),
                source.integer("CRONHOOK_PORT", "server.port", 0, 65535),
                source.size("CRONHOOK_MAX_REQUEST_BODY", "server.max-request-body"),
                Path.of(source.get("CRONHOOK_DATA_DIR", "storage.data-dir")),
                source.get("CRONHOOK_DB_URL", "storage.db-url"),
                source.get("CRONHOOK_DB_USER", "storage.db-user"),
                source.get("CRONHOOK_DB_PASSWORD", "storage.db-password"),
                source.integer("CRONHOOK_DB_POOL_SIZE", "storage.pool-size", 2, 500),
                dbWait(source.duration("CRONHOOK_DB_WAIT", "storage.db-wait")),
                Optional.of(source.get("CRONHOOK_ADMIN_KEY", "security.admin-key")).filter(s -> !s.isBlank()),
                switch (clustered) {
                    case "auto" -> Optional.empty();
                    case "true" -> Optional.of(true);
                    case "false" -> Optional.of(false);
                    default -> throw new IllegalArgumentException("CRONHOOK_CLUSTERED must be auto, true or false");
                },
                source.get("CRONHOOK_SCHEDULER_NAME", "scheduler.name"),
                source.duration("CRONHOOK_TICK_INTERVAL", "scheduler.tick-interval"),
                source.duration("CRONHOOK_LOOKAHEAD", "scheduler.lookahead"),
                source.duration("CRONHOOK_EXECUTION_RETENTION", "scheduler.execution-retention"),
                source.duration("CRONHOOK_DELIVERY_RETENTION", "webhooks.delivery-retention"),
                source.duration("CRONHOOK_INCIDENT_RETENTION", "incidents.retention"),
                source.duration("CRONHOOK_SHUTDOWN_GRACE", "scheduler.shutdown-grace"),
                source.duration("CRONHOOK_NODE_TIMEOUT", "scheduler.node-timeout"),
                source.durations("CRONHOOK_RETRY_DELAYS", "scheduler.retry-delays"),
                source.durations("CRONHOOK_WEBHOOK_RETRY_DELAYS", "webhooks.retry-delays"),
                networkPolicy(source),
                source.integer("CRONHOOK_CONNECTIONS_PER_DESTINATION", "network.connections-per-destination", 1,
                        100_000),
                source.duration("CRONHOOK_CONNECT_TIMEOUT", "network.connect-timeout"),
                publicUrl(source.get("CRONHOOK_PUBLIC_URL", "server.public-url")),
                source.duration("CRONHOOK_ACK_SWEEP_INTERVAL", "incidents.ack-sweep-interval"),
                source.duration("CRONHOOK_CHECK_INTERVAL", "checks.interval"),
                source.duration("CRONHOOK_PING_RETENTION", "checks.ping-retention"));
    }

    private static Duration dbWait(Duration value) {
        if (value.compareTo(Duration.ofMillis(500)) < 0 || value.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("CRONHOOK_DB_WAIT must be from 500ms to 5m, not " + value);
        }
        return value;
    }

    private static Optional<URI> publicUrl(String text) {
        if (text.isBlank()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            if (uri.isAbsolute() && uri.getHost() != null
                    && (uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                return Optional.of(uri);
            }
        } catch (URISyntaxException e) {
            // answered below
        }
        throw new IllegalArgumentException("CRONHOOK_PUBLIC_URL must be an absolute http(s) URL such as "
                + "https://cronhook.example.com, not '" + text + "'");
    }

    private static NetworkPolicy networkPolicy(Source source) {
        try {
            return NetworkPolicy.create(
                    NetworkPolicy.Mode.fromConfigName(source.get("CRONHOOK_NETWORK_POLICY", "network.policy")),
                    source.list("CRONHOOK_ALLOW_CIDRS", "network.allow-cidrs"),
                    source.list("CRONHOOK_DENY_CIDRS", "network.deny-cidrs"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("network policy settings: " + e.getMessage(), e);
        }
    }

    private record Source(Config yaml, Map<String, String> environment) {
        String get(String variable, String key) {
            String value = environment.get(variable);
            if (value != null) {
                return value.trim();
            }
            return yaml.get(key).asString().orElse("");
        }

        int integer(String variable, String key, int min, int max) {
            String text = get(variable, key);
            try {
                int value = Integer.parseInt(text);
                if (value < min || value > max) {
                    throw new IllegalArgumentException(variable + " must be from " + min + " to " + max + ", not " + text);
                }
                return value;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(variable + " must be a whole number, not '" + text + "'");
            }
        }

        Duration duration(String variable, String key) {
            return Durations.parse(variable, get(variable, key));
        }

        /** A comma-separated list of words; empty means none. */
        List<String> list(String variable, String key) {
            String text = get(variable, key);
            return text.isBlank() ? List.of() : Arrays.stream(text.split(",")).map(String::trim).toList();
        }

        /** A comma-separated list such as {@code 1m,5m,30m,2h,8h}; empty means none. */
        List<Duration> durations(String variable, String key) {
            String text = get(variable, key);
            if (text.isBlank()) {
                return List.of();
            }
            return Arrays.stream(text.split(",")).map(part -> Durations.parse(variable, part)).toList();
        }

        long size(String variable, String key) {
            String text = get(variable, key).trim();
            String upper = text.toUpperCase(Locale.ROOT);
            try {
                if (upper.endsWith("KIB")) {
                    return Long.parseLong(upper.substring(0, upper.length() - 3).trim()) * 1024;
                }
                if (upper.endsWith("MIB")) {
                    return Long.parseLong(upper.substring(0, upper.length() - 3).trim()) * 1024 * 1024;
                }
                return Long.parseLong(upper);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(variable + " must be a size such as 262144, 256KiB or 1MiB, not '" + text + "'");
            }
        }
    }
}
