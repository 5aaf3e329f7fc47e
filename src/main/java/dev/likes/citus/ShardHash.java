package dev.likes.citus;

import java.nio.charset.StandardCharsets;

/**
 * PostgreSQL's hash of a text value in a deterministic collation ({@code hashtext}, which Citus uses
 * to place a varchar distribution column): Bob Jenkins' lookup3 over the value's UTF-8 bytes, as
 * PostgreSQL's {@code hash_bytes} computes it on a little-endian machine. Citus keeps an item in the
 * shard whose hash range holds this value; {@code ShardHashTest} checks it against PostgreSQL's own.
 */
public final class ShardHash {

    private ShardHash() {
    }

    public static int of(String value) {
        byte[] k = value.getBytes(StandardCharsets.UTF_8);
        int len = k.length;
        int a = 0x9e3779b9 + len + 3923095;
        int b = a;
        int c = a;
        int at = 0;
        while (len >= 12) {
            a += word(k, at);
            b += word(k, at + 4);
            c += word(k, at + 8);
            // mix(a, b, c)
            a -= c; a ^= Integer.rotateLeft(c, 4); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 6); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 8); b += a;
            a -= c; a ^= Integer.rotateLeft(c, 16); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 19); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 4); b += a;
            at += 12;
            len -= 12;
        }
        // The last 11 bytes; the lowest byte of c is left for the length.
        switch (len) {
            case 11: c += (k[at + 10] & 0xff) << 24; // fall through
            case 10: c += (k[at + 9] & 0xff) << 16; // fall through
            case 9: c += (k[at + 8] & 0xff) << 8; // fall through
            case 8: b += (k[at + 7] & 0xff) << 24; // fall through
            case 7: b += (k[at + 6] & 0xff) << 16; // fall through
            case 6: b += (k[at + 5] & 0xff) << 8; // fall through
            case 5: b += k[at + 4] & 0xff; // fall through
            case 4: a += (k[at + 3] & 0xff) << 24; // fall through
            case 3: a += (k[at + 2] & 0xff) << 16; // fall through
            case 2: a += (k[at + 1] & 0xff) << 8; // fall through
            case 1: a += k[at] & 0xff; // fall through
            default: break;
        }
        // final(a, b, c)
        c ^= b; c -= Integer.rotateLeft(b, 14);
        a ^= c; a -= Integer.rotateLeft(c, 11);
        b ^= a; b -= Integer.rotateLeft(a, 25);
        c ^= b; c -= Integer.rotateLeft(b, 16);
        a ^= c; a -= Integer.rotateLeft(c, 4);
        b ^= a; b -= Integer.rotateLeft(a, 14);
        c ^= b; c -= Integer.rotateLeft(b, 24);
        return c;
    }

    private static int word(byte[] k, int at) {
        return (k[at] & 0xff) | (k[at + 1] & 0xff) << 8 | (k[at + 2] & 0xff) << 16 | (k[at + 3] & 0xff) << 24;
    }
}
