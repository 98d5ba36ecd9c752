package dev.huddle.core.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Encrypts tokens at rest with AES-256-GCM under the keys of {@code huddle.sessions.encryption-keys}: the first key
 * encrypts, any of them decrypts (the row names its key id). Each ciphertext is bound (as associated data) to the
 * session and to what it holds, so a ciphertext copied to another row or column does not decrypt. Also hashes
 * tokens (SHA-256: refresh tokens are long random strings, so a plain hash cannot be reversed) and derives the key
 * that signs the sign-in state.
 * <p>
 * Nothing here puts a key or a token in an exception message or a log line.
 */
@ApplicationScoped
public class TokenCipher {

    /** Stored ciphertexts: this version byte, then the nonce, then ciphertext and tag. */
    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    /** A ciphertext and the id of the key it is under. */
    public record Sealed(String keyId, byte[] bytes) {
    }

    private final SecureRandom random = new SecureRandom();
    /** Key id -> key, the encrypting key first; empty when not configured. */
    private final Map<String, SecretKey> keys;

    public TokenCipher(SessionConfig config) {
        this.keys = parse(config.encryptionKeys().orElse(List.of()));
    }

    /** Whether at least one key is configured. */
    public boolean configured() {
        return !keys.isEmpty();
    }

    /** The id of the key that encrypts. */
    public String activeKeyId() {
        return keys.keySet().iterator().next();
    }

    public Sealed encrypt(String plaintext, String context) {
        String keyId = activeKeyId();
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(keyId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(keyId, context));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return new Sealed(keyId, ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(VERSION).put(nonce)
                    .put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encrypting a token failed: " + e.getClass().getSimpleName());
        }
    }

    /**
     * @throws IllegalStateException when the key is no longer configured or the ciphertext does not authenticate
     *         (altered, or from another row)
     */
    public String decrypt(Sealed sealed, String context) {
        SecretKey key = keys.get(sealed.keyId());
        if (key == null) {
            throw new IllegalStateException("no configured encryption key has id " + sealed.keyId());
        }
        byte[] bytes = sealed.bytes();
        if (bytes.length < 1 + NONCE_BYTES + TAG_BITS / 8 || bytes[0] != VERSION) {
            throw new IllegalStateException("stored ciphertext has an unknown format");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 1, NONCE_BYTES));
            cipher.updateAAD(aad(sealed.keyId(), context));
            byte[] plain = cipher.doFinal(bytes, 1 + NONCE_BYTES, bytes.length - 1 - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored ciphertext does not decrypt: " + e.getClass().getSimpleName());
        }
    }

    /** SHA-256 of a token: how a session is found from the refresh token presented. */
    public static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An HMAC-SHA256 key for {@code purpose}, derived from key {@code keyId} (null: the active key). */
    SecretKey derive(String keyId, String purpose) {
        SecretKey key = keys.get(keyId == null ? activeKeyId() : keyId);
        if (key == null) {
            return null;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return new SecretKeySpec(mac.doFinal(("huddle.sessions." + purpose).getBytes(StandardCharsets.UTF_8)),
                    "HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("deriving a key failed: " + e.getClass().getSimpleName());
        }
    }

    private static byte[] aad(String keyId, String context) {
        return ("huddle.sessions.v1|" + keyId + "|" + context).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Parses {@code id:base64} entries; fails (start-up fails) on a malformed one, naming the entry's position and
     * id but never the key.
     */
    static Map<String, SecretKey> parse(List<String> entries) {
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        int position = 0;
        for (String raw : entries) {
            position++;
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int colon = entry.indexOf(':');
            String id = colon < 0 ? "" : entry.substring(0, colon);
            if (!KEY_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("huddle.sessions.encryption-keys entry " + position
                        + " must be <id>:<base64 key> with an id of 1 to 32 of A-Z a-z 0-9 _ -");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(entry.substring(colon + 1).strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("huddle.sessions.encryption-keys key " + id + " is not base64");
            }
            if (key.length != 32) {
                throw new IllegalArgumentException("huddle.sessions.encryption-keys key " + id
                        + " must be 32 bytes (AES-256), not " + key.length);
            }
            if (keys.put(id, new SecretKeySpec(key, "AES")) != null) {
                throw new IllegalArgumentException("huddle.sessions.encryption-keys has key id " + id + " twice");
            }
        }
        return Collections.unmodifiableMap(keys);
    }
}
