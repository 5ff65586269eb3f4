package dev.cronhook.api.http;

import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRoute;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Times every request by the route template it matched ({@code http_server_requests_seconds{method, uri, status,
 * outcome}}, Micrometer's standard names), never by its raw path: paths hold intake, ping and callback tokens. Helidon
 * 4.1 does not tell a handler which pattern matched, so each service registers through rules that wrap its handlers
 * with their template. A handler's error is mapped here (as the routing's error handler would), so that its status
 * is the one timed.
 */
public final class TimedRoutes {
    private final MeterRegistry registry;
    private final List<Route> routes = new CopyOnWriteArrayList<>();

    /** One route as registered: its method and its full path template. */
    public record Route(String method, String template) {
    }

    public TimedRoutes(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Every route registered through these rules so far (the API description is checked against them). */
    public List<Route> routes() {
        return List.copyOf(routes);
    }

    /** {@code service} as registered under {@code prefix} ("" for the root), every route of it timed. */
    public HttpService service(String prefix, HttpService service) {
        return rules -> service.routing(new Rules(rules, prefix));
    }

    /** A handler timed under a fixed label (the catch-all that answers 404 is {@code NOT_FOUND}). */
    public Handler handler(String uri, Handler handler) {
        return (req, res) -> {
            Timer.Sample sample = Timer.start(registry);
            try {
                handler.handle(req, res);
            } catch (RuntimeException e) {
                ErrorMapper.reply(res, e, uri);
            } finally {
                int status = res.status().code();
                sample.stop(Timer.builder("http.server.requests")
                        .description("HTTP requests served, by route template.")
                        .tag("method", method(req.prologue().method().text()))
                        .tag("uri", uri)
                        .tag("status", Integer.toString(status))
                        .tag("outcome", outcome(status))
                        .register(registry));
            }
        };
    }

    /** Any method name reaches the catch-all 404: only the standard ones become labels, so no client adds series. */
    private static String method(String method) {
        return switch (method) {
            case "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT" -> method;
            default -> "OTHER";
        };
    }

    private static String outcome(int status) {
        return switch (status / 100) {
            case 1 -> "INFORMATIONAL";
            case 2 -> "SUCCESS";
            case 3 -> "REDIRECTION";
            case 4 -> "CLIENT_ERROR";
            case 5 -> "SERVER_ERROR";
            default -> "UNKNOWN";
        };
    }

    /** Rules that time each handler under prefix + path; only the verb-and-path forms our services use exist. */
    private final class Rules implements HttpRules {
        private final HttpRules rules;
        private final String prefix;

        Rules(HttpRules rules, String prefix) {
            this.rules = rules;
            this.prefix = prefix;
        }

        private Handler timed(String path, Handler handler) {
            String template = path.equals("/") && !prefix.isEmpty() ? prefix : prefix + path;
            return handler(template, handler);
        }

        private HttpRules add(Method method, String path, Handler... handlers) {
            routes.add(new Route(method.text(), path.equals("/") && !prefix.isEmpty() ? prefix : prefix + path));
            for (Handler handler : handlers) {
                rules.route(method, path, timed(path, handler));
            }
            return this;
        }

        @Override
        public HttpRules get(String path, Handler... handlers) {
            return add(Method.GET, path, handlers);
        }

        @Override
        public HttpRules post(String path, Handler... handlers) {
            return add(Method.POST, path, handlers);
        }

        @Override
        public HttpRules put(String path, Handler... handlers) {
            return add(Method.PUT, path, handlers);
        }

        @Override
        public HttpRules delete(String path, Handler... handlers) {
            return add(Method.DELETE, path, handlers);
        }

        @Override
        public HttpRules head(String path, Handler... handlers) {
            return add(Method.HEAD, path, handlers);
        }

        @Override
        public HttpRules patch(String path, Handler... handlers) {
            return add(Method.PATCH, path, handlers);
        }

        @Override
        public HttpRules route(Method method, String path, Handler handler) {
            return add(method, path, handler);
        }

        @Override
        public HttpRules register(HttpService... services) {
            throw unsupported();
        }

        @Override
        public HttpRules register(String path, HttpService... services) {
            throw unsupported();
        }

        /** Any other form would register a route whose template these rules cannot see. */
        @Override
        public HttpRules route(HttpRoute route) {
            throw unsupported();
        }

        private UnsupportedOperationException unsupported() {
            return new UnsupportedOperationException("a timed service registers its routes by verb and path");
        }
    }
}
