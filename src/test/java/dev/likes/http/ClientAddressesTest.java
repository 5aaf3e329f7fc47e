package dev.likes.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.likes.http.ClientAddresses.AddressRange;

/** The client behind trusted proxies, without a server: X-Forwarded-For read from its right end. */
class ClientAddressesTest {

    private final ClientAddresses behindIngress = new ClientAddresses(List.of(
            AddressRange.parse("10.0.0.0/8").get(0), AddressRange.parse("127.0.0.1").get(0)));

    @Test
    void withoutTrustedProxiesThePeerIsTheClient() {
        ClientAddresses direct = new ClientAddresses(List.of());
        assertEquals("10.1.2.3", direct.of("10.1.2.3", List.of("203.0.113.7")));
    }

    @Test
    void aTrustedProxysRecordedAddressIsTheClient() {
        assertEquals("203.0.113.7", behindIngress.of("10.1.2.3", List.of("203.0.113.7")));
        assertEquals("10.1.2.3", behindIngress.of("10.1.2.3", List.of()), "a proxy that recorded nothing is the client");
    }

    @Test
    void whatAClientWroteItselfStandsLeftOfWhatTheProxiesAppendedAndIsNeverTaken() {
        assertEquals("203.0.113.7", behindIngress.of("10.1.2.3", List.of("198.51.100.1, 203.0.113.7")));
        assertEquals("203.0.113.7", behindIngress.of("10.1.2.3", List.of("198.51.100.1", "203.0.113.7")), "repeated headers, in order");
    }

    @Test
    void aChainOfTrustedHopsIsWalkedToTheFirstUntrustedAddress() {
        assertEquals("203.0.113.7", behindIngress.of("127.0.0.1", List.of("spoofed, 203.0.113.7, 10.9.9.9")));
        assertEquals("10.0.0.1", behindIngress.of("10.0.0.2", List.of("10.0.0.1")), "every hop trusted: the leftmost");
    }

    @Test
    void anUntrustedPeersHeaderIsIgnored() {
        assertEquals("198.51.100.9", behindIngress.of("198.51.100.9", List.of("10.0.0.1")));
    }

    @Test
    void addressesWithPortsOrBracketsAndGarbageAreHandled() {
        assertEquals("203.0.113.7:5555", behindIngress.of("10.1.2.3", List.of("203.0.113.7:5555")));
        assertEquals("[2001:db8::1]:443", behindIngress.of("10.1.2.3", List.of("[2001:db8::1]:443")));
        assertEquals("not-an-address", behindIngress.of("10.1.2.3", List.of("not-an-address")),
                "what the nearest trusted hop wrote, as it wrote it");
        assertEquals("unknown", behindIngress.of(null, List.of()));
    }

    @Test
    void networksMatchByTheirPrefix() {
        AddressRange ten = AddressRange.parse("10.0.0.0/8").get(0);
        assertTrue(ten.contains(AddressRange.literal("10.255.0.1").orElseThrow()));
        assertFalse(ten.contains(AddressRange.literal("11.0.0.1").orElseThrow()));
        AddressRange odd = AddressRange.parse("192.168.4.0/22").get(0);
        assertTrue(odd.contains(AddressRange.literal("192.168.7.255").orElseThrow()));
        assertFalse(odd.contains(AddressRange.literal("192.168.8.0").orElseThrow()));
        AddressRange six = AddressRange.parse("2001:db8::/32").get(0);
        assertTrue(six.contains(AddressRange.literal("2001:db8:1::5").orElseThrow()));
        assertFalse(six.contains(AddressRange.literal("10.0.0.1").orElseThrow()), "another family never matches");
        assertThrows(IllegalArgumentException.class, () -> AddressRange.parse("10.0.0.0/33"));
        assertTrue(AddressRange.literal("a-host-name").isEmpty(), "a name is never looked up per request");
    }
}
