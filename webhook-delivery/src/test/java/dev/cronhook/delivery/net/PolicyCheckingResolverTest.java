package dev.cronhook.delivery.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.helidon.webclient.api.DnsAddressLookup;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyCheckingResolverTest {

    private static final Map<String, List<String>> ZONE = Map.of(
            "internal.example.test", List.of("10.0.0.7"),
            "metadata.example.test", List.of("169.254.169.254", "fd00:ec2::254"),
            "mixed.example.test", List.of("169.254.169.254", "93.184.216.34"));

    private final HostLookup lookup = host -> {
        List<String> addresses = ZONE.get(host);
        if (addresses == null) {
            throw new UnknownHostException(host);
        }
        InetAddress[] resolved = new InetAddress[addresses.size()];
        for (int i = 0; i < resolved.length; i++) {
            resolved[i] = InetAddress.getByName(addresses.get(i));
        }
        return resolved;
    };

    private final PolicyCheckingResolver resolver = new PolicyCheckingResolver(NetworkPolicy.defaults(), lookup);

    private InetAddress resolve(PolicyCheckingResolver resolver, String host) {
        return resolver.resolveAddress(host, DnsAddressLookup.IPV4_PREFERRED);
    }

    @Test
    void anAllowedAddressIsReturnedWithItsName() throws Exception {
        InetAddress address = resolve(resolver, "internal.example.test");

        assertEquals(InetAddress.getByName("10.0.0.7"), address);
        assertEquals("internal.example.test", address.getHostName());
    }

    @Test
    void theFirstAllowedAddressIsChosenOverRefusedOnes() throws Exception {
        assertEquals(InetAddress.getByName("93.184.216.34"), resolve(resolver, "mixed.example.test"));
    }

    @Test
    void aNameWithOnlyRefusedAddressesIsBlockedWithTheFirstReason() {
        BlockedAddressException blocked =
                assertThrows(BlockedAddressException.class, () -> resolve(resolver, "metadata.example.test"));

        assertEquals("metadata.example.test (169.254.169.254) is link-local; refused by the network policy",
                blocked.getMessage());
    }

    @Test
    void literalsAreReadAsTheCreateTimeCheckReadsThem() throws Exception {
        // InetAddress would read 0177.0.0.1 as 177.0.0.1; URL parsers and curl read 127.0.0.1.
        assertEquals(InetAddress.getByName("127.0.0.1"), resolve(resolver, "0177.0.0.1"));
        assertEquals(InetAddress.getByName("::1"), resolve(resolver, "[::1]"));
        PolicyCheckingResolver strict = new PolicyCheckingResolver(
                NetworkPolicy.create(NetworkPolicy.Mode.PUBLIC_ONLY, List.of(), List.of()), lookup);
        assertThrows(BlockedAddressException.class, () -> resolve(strict, "0x7f000001"));
        assertThrows(BlockedAddressException.class, () -> resolve(strict, "[::ffff:10.0.0.1]"));
    }

    @Test
    void anUnknownNameIsAnUnknownHost() {
        UncheckedIOException error =
                assertThrows(UncheckedIOException.class, () -> resolve(resolver, "nowhere.example.test"));

        assertInstanceOf(UnknownHostException.class, error.getCause());
    }
}
