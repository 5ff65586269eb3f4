package dev.cronhook.delivery.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cronhook.delivery.net.NetworkPolicy.Mode;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NetworkPolicyTest {

    private static final NetworkPolicy DEFAULT = NetworkPolicy.defaults();
    private static final NetworkPolicy PUBLIC_ONLY = NetworkPolicy.create(Mode.PUBLIC_ONLY, List.of(), List.of());

    private static Optional<String> refusal(NetworkPolicy policy, String url) {
        return policy.refusalForUrl(url);
    }

    private static void assertRefused(NetworkPolicy policy, String url) {
        Optional<String> reason = refusal(policy, url);
        assertTrue(reason.isPresent(), url + " should be refused by " + policy);
        assertTrue(reason.get().endsWith("; refused by the network policy"), reason.get());
    }

    private static void assertAllowed(NetworkPolicy policy, String url) {
        assertEquals(Optional.empty(), refusal(policy, url), url + " should be allowed by " + policy);
    }

    @Test
    void theMetadataAddressIsRefusedWithAReasonAPersonCanRead() {
        assertEquals(Optional.of("169.254.169.254 is link-local; refused by the network policy"),
                refusal(DEFAULT, "http://169.254.169.254/latest/meta-data/"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://169.254.169.254/",
        "http://169.254.0.1:8080/x",
        "http://[fe80::1]/",
        "http://[fe80::1%25eth0]/",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://100.100.100.200/",
        "http://0.0.0.0/",
        "http://0.0.0.0:8080/",
        "http://0/",
        "http://0.1.2.3/",
        "http://[::]/",
        "http://224.0.0.1/",
        "http://239.255.255.250/",
        "http://[ff02::1]/",
        "http://255.255.255.255/",
    })
    void theDefaultPolicyRefusesLinkLocalMetadataUnspecifiedMulticastAndBroadcast(String url) {
        assertRefused(DEFAULT, url);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://127.0.0.1:8080/",
        "http://localhost/",
        "http://[::1]/",
        "http://10.0.0.1/",
        "http://172.16.5.4/",
        "http://192.168.1.1/",
        "http://100.64.0.1/",
        "http://[fd00::1]/",
        "https://93.184.216.34/",
        "https://[2606:4700:4700::1111]/",
    })
    void theDefaultPolicyAllowsPrivateLoopbackAndPublicAddresses(String url) {
        assertAllowed(DEFAULT, url);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://2852039166/",               // one 32-bit decimal number
        "http://0xa9fea9fe/",               // one hex number
        "http://0XA9FEA9FE/",
        "http://0251.0376.0251.0376/",      // octal parts
        "http://0xa9.0xfe.0xa9.0xfe/",      // hex parts
        "http://169.16689662/",             // a.b: the last part fills three bytes
        "http://169.254.43518/",            // a.b.c: the last part fills two bytes
        "http://169.254.169.254./",         // trailing dot
        "http://%31%36%39.254.169.254/",    // percent-encoded
        "http://１６９．２５４．１６９．２５４/", // full-width digits and dots
        "http://user:secret@169.254.169.254:80/",
        "HTTP://169.254.169.254/",
        "http:/\\169.254.169.254/",
    })
    void numericFormsThatUrlParsersAcceptAreReadAsTheAddressTheyDenote(String url) {
        Optional<String> reason = refusal(DEFAULT, url);
        assertTrue(reason.isPresent(), url);
        assertTrue(reason.get().matches("(.+ \\()?169\\.254\\.169\\.254\\)? is link-local; refused by the network policy"),
                reason.get());
    }

    @Test
    void aNumericFormIsShownBesideTheAddressItDenotes() {
        assertEquals(Optional.of("2852039166 (169.254.169.254) is link-local; refused by the network policy"),
                refusal(DEFAULT, "http://2852039166/"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://2130706433/",
        "http://0x7f000001/",
        "http://0177.0.0.1/",
        "http://127.1/",
        "http://127.0.0.1./",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/",
        "http://[0:0:0:0:0:ffff:127.0.0.1]/",
    })
    void loopbackInEveryFormIsRefusedByPublicOnlyAndAllowedByDefault(String url) {
        assertEquals(Optional.of(hostOfUrlForReason(url) + " (127.0.0.1) is loopback; refused by the network policy"),
                refusal(PUBLIC_ONLY, url));
        assertAllowed(DEFAULT, url);
    }

    private static String hostOfUrlForReason(String url) {
        return url.substring("http://".length(), url.indexOf('/', "http://".length()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://[::ffff:169.254.169.254]/",      // IPv4-mapped
        "http://[::ffff:a9fe:a9fe]/",
        "http://[::169.254.169.254]/",           // IPv4-compatible
        "http://[::ffff:0:169.254.169.254]/",    // IPv4-translated
        "http://[64:ff9b::169.254.169.254]/",    // NAT64
        "http://[64:ff9b::a9fe:a9fe]/",
        "http://[2002:a9fe:a9fe::1]/",           // 6to4
        "http://[2001:0:4136:e378:8000:63bf:5601:5601]/", // Teredo, client address inverted
    })
    void ipv6FormsCarryingARefusedIpv4AddressAreRefused(String url) {
        Optional<String> reason = refusal(DEFAULT, url);
        assertTrue(reason.isPresent(), url);
        assertTrue(reason.get().contains("169.254.169.254"), reason.get());
        assertTrue(reason.get().contains("link-local"), reason.get());
    }

    @Test
    void anEmbeddedAddressIsNamedWithItsCarrier() {
        assertEquals(Optional.of("2002:a9fe:a9fe::1 carries 169.254.169.254 (6to4), "
                        + "which is link-local; refused by the network policy"),
                refusal(DEFAULT, "http://[2002:a9fe:a9fe::1]/"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://localhost:8080/",
        "http://LOCALHOST./",
        "http://api.localhost/",
        "http://127.0.0.1/",
        "http://127.8.9.10/",
        "http://10.0.0.1/",
        "http://172.16.0.1/",
        "http://172.31.255.255/",
        "http://192.168.0.10/",
        "http://100.64.0.1/",
        "http://100.127.255.254/",
        "http://[::1]/",
        "http://[fd00::1]/",
        "http://[fc00::1]/",
        "http://[fec0::1]/",
        "http://198.18.0.1/",
        "http://240.0.0.1/",
        "http://192.0.2.1/",
        "http://198.51.100.7/",
        "http://203.0.113.9/",
        "http://192.0.0.8/",
        "http://[2001:db8::1]/",
        "http://[100::1]/",
        "http://[64:ff9b::10.0.0.1]/",
        "http://[2002:0a00:0001::]/",
    })
    void publicOnlyRefusesEverythingThatIsNotAPublicDestination(String url) {
        assertRefused(PUBLIC_ONLY, url);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://8.8.8.8/",
        "https://1.1.1.1:8443/hook",
        "https://100.63.255.255/",
        "https://172.32.0.1/",
        "https://[2606:4700:4700::1111]/",
        "https://[64:ff9b::8.8.8.8]/",
        "https://example.com/",
    })
    void publicOnlyAllowsPublicAddresses(String url) {
        assertAllowed(PUBLIC_ONLY, url);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://metadata.google.internal/",
        "http://example.com/",
        "http://169.254.169.254.nip.io/",
        "http://1.2.3.example/",
        "http://169.254.169.254@example.com/",
        "not a url",
        "",
    })
    void hostNamesAreNotResolvedOnCreate(String url) {
        assertAllowed(PUBLIC_ONLY, url);
    }

    @Test
    void publicOnlyNamesLoopbackByItsName() {
        assertEquals(Optional.of("localhost (127.0.0.1) is loopback; refused by the network policy"),
                PUBLIC_ONLY.refusalForHost("localhost"));
        assertEquals(Optional.of("10.0.0.1 is private; refused by the network policy"),
                PUBLIC_ONLY.refusalForHost("10.0.0.1"));
        assertEquals(Optional.of("::1 is loopback; refused by the network policy"),
                PUBLIC_ONLY.refusalForHost("[::1]"));
    }

    @Test
    void resolvedAddressesAreCheckedDirectly() throws Exception {
        NetworkPolicy.Decision refused = DEFAULT.check(InetAddress.getByName("169.254.169.254"));
        assertFalse(refused.allowed());
        assertEquals("169.254.169.254 is link-local; refused by the network policy", refused.reason());

        NetworkPolicy.Decision allowed = DEFAULT.check(InetAddress.getByName("10.1.2.3"));
        assertTrue(allowed.allowed());
        assertEquals(null, allowed.reason());

        assertEquals("fe80::1 is link-local; refused by the network policy",
                DEFAULT.check(InetAddress.getByName("fe80:0:0:0:0:0:0:1")).reason());
    }

    @Test
    void denyCidrsRefuseWhatTheModeAllows() {
        NetworkPolicy policy = NetworkPolicy.create(Mode.DEFAULT, List.of(), List.of("10.0.0.0/8", "2001:db8::/32"));

        assertEquals(Optional.of("10.1.2.3 is in the denied range 10.0.0.0/8; refused by the network policy"),
                policy.refusalForUrl("http://10.1.2.3/"));
        assertRefused(policy, "http://[::ffff:10.1.2.3]/");
        assertRefused(policy, "http://167772161/");
        assertRefused(policy, "http://[2001:db8::5]/");
        assertAllowed(policy, "http://11.0.0.1/");
        assertAllowed(policy, "http://127.0.0.1/");
    }

    @Test
    void allowCidrsPermitWhatTheModeRefuses() {
        NetworkPolicy policy = NetworkPolicy.create(Mode.PUBLIC_ONLY, List.of("10.1.0.0/16", "fd00::/8"), List.of());

        assertAllowed(policy, "http://10.1.2.3/");
        assertAllowed(policy, "http://[::ffff:10.1.2.3]/");
        assertAllowed(policy, "http://[fd12::1]/");
        assertRefused(policy, "http://10.2.0.1/");
        assertRefused(policy, "http://[fc00::1]/");
        assertRefused(policy, "http://127.0.0.1/");
    }

    @Test
    void anAllowCidrCanOpenEvenWhatTheDefaultModeRefuses() {
        NetworkPolicy policy = NetworkPolicy.create(Mode.DEFAULT, List.of("169.254.10.0/24"), List.of());

        assertAllowed(policy, "http://169.254.10.20/");
        assertRefused(policy, "http://169.254.169.254/");
    }

    @Test
    void denyWinsOverAllow() {
        NetworkPolicy policy = NetworkPolicy.create(Mode.PUBLIC_ONLY, List.of("10.0.0.0/8"), List.of("10.0.0.5"));

        assertAllowed(policy, "http://10.0.0.6/");
        assertEquals(Optional.of("10.0.0.5 is in the denied range 10.0.0.5/32; refused by the network policy"),
                policy.refusalForUrl("http://10.0.0.5/"));
    }

    @Test
    void cidrsAreReadInTheirUsualForms() {
        NetworkPolicy policy = NetworkPolicy.create(Mode.DEFAULT,
                List.of(" 192.168.1.7/24 ", "10.0.0.1", "fd00::/8", "::ffff:172.16.0.0/108", "0.0.0.0/0", ""),
                List.of());

        assertEquals(List.of("192.168.1.0/24", "10.0.0.1/32", "fd00::/8", "172.16.0.0/12", "0.0.0.0/0"),
                policy.allowCidrs());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "10.0.0.0/33", "10.0.0/8", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8/8", "256.0.0.0/8", "010.0.0.0/8",
        "0x0a000000/8", "example.com/8", "::1/129", "fe80::1%eth0/64", "[::1]/128", "::ffff:10.0.0.0/8", "abc",
    })
    void aBadCidrIsReportedByItsText(String cidr) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> NetworkPolicy.create(Mode.DEFAULT, List.of(), List.of(cidr)));
        assertTrue(error.getMessage().startsWith("invalid CIDR '" + cidr + "'"), error.getMessage());
    }

    @Test
    void modesAreReadFromConfiguration() {
        assertEquals(Mode.DEFAULT, Mode.fromConfigName("default"));
        assertEquals(Mode.PUBLIC_ONLY, Mode.fromConfigName(" Public-Only "));
        assertEquals("public-only", Mode.PUBLIC_ONLY.configName());
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Mode.fromConfigName("strict"));
        assertEquals("network policy must be 'default' or 'public-only', got 'strict'", error.getMessage());
    }
}
