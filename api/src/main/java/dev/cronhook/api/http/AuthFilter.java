package dev.cronhook.api.http;

import dev.cronhook.api.keys.ApiKeyStore;
import dev.cronhook.api.keys.Caller;
import dev.cronhook.api.keys.Scope;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.Optional;

/** Every {@code /v1} route needs a Bearer API key; a {@code read} key may only read. */
public final class AuthFilter implements Filter {
    private final ApiKeyStore keys;

    public AuthFilter(ApiKeyStore keys) {
        this.keys = keys;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.path().path();
        if (!path.equals("/v1") && !path.startsWith("/v1/")) {
            chain.proceed();
            return;
        }
        Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
        String token = header.filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(value -> value.substring(7).trim())
                .orElse(null);
        Optional<Caller> caller = token == null ? Optional.empty() : keys.authenticate(token);
        if (caller.isEmpty()) {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
            Replies.problem(res, Problem.of(401, "unauthorized", "Unauthorized",
                    token == null ? "send an API key as Authorization: Bearer <key>" : "the API key is not valid"));
            return;
        }
        Method method = req.prologue().method();
        boolean reads = method == Method.GET || method == Method.HEAD;
        if (caller.get().scope() == Scope.READ && !reads) {
            Replies.problem(res, Problem.of(403, "forbidden", "Forbidden", "this API key has the read scope and cannot make changes"));
            return;
        }
        // For GET /v1/me.
        req.context().register(caller.get());
        chain.proceed();
    }
}
