import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * One token per simulated user, as an identity provider would hand each browser its own: prints
 * COUNT lines, line i holding user i's token (sub "i", no groups, valid one hour), signed RS256 with
 * the published dev key, like deploy/dev-token.sh but thousands a second.
 *
 *   java src/bench/tokens/MintUserTokens.java 20000 > user-tokens
 */
public class MintUserTokens {

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        String pem = Files.readString(Path.of("deploy/dev-keys/private.pem"));
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        long now = System.currentTimeMillis() / 1000;
        String header = part("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
        String tokens = IntStream.rangeClosed(1, count).parallel().mapToObj(user -> {
            String claims = part(String.format(
                    "{\"iss\":\"likes-dev\",\"aud\":\"likes\",\"sub\":\"%d\",\"iat\":%d,\"exp\":%d,\"groups\":[]}",
                    user, now, now + 3600));
            String unsigned = header + "." + claims;
            try {
                Signature rsa = Signature.getInstance("SHA256withRSA");
                rsa.initSign(key);
                rsa.update(unsigned.getBytes(StandardCharsets.US_ASCII));
                return unsigned + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).collect(Collectors.joining("\n", "", "\n"));
        System.out.print(tokens);
    }

    private static String part(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
