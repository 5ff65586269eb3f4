package dev.cronhook.scheduler.jobs;

import java.net.URI;
import java.util.Optional;

/**
 * Refuses target URLs the network policy forbids outright: a host that is a literal refused address. Names are
 * checked again where it counts, on the address actually connected to.
 */
@FunctionalInterface
public interface UrlGuard {
    UrlGuard ALLOW_ALL = url -> Optional.empty();

    /** Why {@code url} may not be a target, or empty when it may. */
    Optional<String> refusal(URI url);
}
