package dev.huddle.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/**
 * An RSA key that signs access tokens shaped like WorkOS AuthKit's (RS256; {@code iss}, {@code sub}, {@code sid},
 * {@code org_id}, {@code role}, {@code exp}, {@code iat}, {@code jti}; no {@code aud}), and publishes its JWKS.
 * The tests' token issuer and the local stack's. Like AuthKit's, the issuer names the client the token is for
 * ({@code <base>/user_management/<client id>}): callers pass such an issuer.
 */
public final class TokenMinter {

    private final RsaJsonWebKey key;

    private TokenMinter(RsaJsonWebKey key) {
        this.key = key;
    }

    public static TokenMinter generate() {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId("key_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16));
            key.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            key.setUse("sig");
            return new TokenMinter(key);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Loads a key saved by {@link #save}, or makes and saves a new one when there is none. */
    public static TokenMinter loadOrGenerate(Path file) {
        if (Files.exists(file)) {
            try {
                return new TokenMinter((RsaJsonWebKey) JsonWebKey.Factory.newJwk(Files.readString(file)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (JoseException e) {
                throw new IllegalStateException("not a private RSA JWK: " + file, e);
            }
        }
        TokenMinter minter = generate();
        minter.save(file);
        return minter;
    }

    /** Saves the private key as a JWK, readable by the owner only. */
    public void save(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, key.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The public JWKS document, as WorkOS serves it at {@code /sso/jwks/<client id>}. */
    public String jwksJson() {
        return new JsonWebKeySet(key).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    /** A token for {@code subject} (a WorkOS user id) from {@code issuer}, valid for {@code ttl}. */
    public String mint(String issuer, String subject, Duration ttl) {
        return mint(issuer, subject, ttl, Map.of());
    }

    public String mint(String issuer, String subject, Duration ttl, Map<String, Object> extraClaims) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims(issuer, subject, ttl, extraClaims));
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The claims (JSON) of a token {@link #mint} would sign, for tests that sign them another way. */
    public static String claims(String issuer, String subject, Duration ttl, Map<String, Object> extraClaims) {
        JwtClaims claims = new JwtClaims();
        Instant now = Instant.now();
        claims.setIssuer(issuer);
        claims.setSubject(subject);
        claims.setClaim("sid", "session_" + UUID.randomUUID().toString().replace("-", ""));
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setIssuedAt(org.jose4j.jwt.NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(org.jose4j.jwt.NumericDate.fromSeconds(now.plus(ttl).getEpochSecond()));
        extraClaims.forEach(claims::setClaim);
        return claims.toJson();
    }

    /** The id ({@code kid}) of the key in the JWKS. */
    public String keyId() {
        return key.getKeyId();
    }

    /** The public half, as a service holds it after reading the JWKS. */
    public PublicKey publicKey() {
        return key.getPublicKey();
    }
}
