package dev.cronhook.delivery.net;

import io.helidon.webclient.api.DnsAddressLookup;
import io.helidon.webclient.spi.DnsResolver;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/** Resolves a host to a loopback address or refuses it: for Cronhook's requests to itself on this machine. */
public final class LoopbackOnlyResolver implements DnsResolver {

    private final HostLookup lookup;

    public LoopbackOnlyResolver(HostLookup lookup) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    @Override
    public InetAddress resolveAddress(String host, DnsAddressLookup order) {
        InetAddress[] candidates;
        var literal = IpLiterals.parseHost(host);
        try {
            candidates = literal.isPresent() ? new InetAddress[] {literal.get()} : lookup.lookup(host);
        } catch (UnknownHostException e) {
            throw new UncheckedIOException(e);
        }
        for (InetAddress candidate : candidates) {
            if (candidate.isLoopbackAddress()) {
                return candidate;
            }
        }
        throw new BlockedAddressException(host + " is not a loopback address; only Cronhook's own intake on this "
                + "machine is reached this way");
    }
}
