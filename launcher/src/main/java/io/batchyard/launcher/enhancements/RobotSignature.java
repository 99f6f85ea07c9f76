package io.batchyard.launcher.enhancements;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The robots' request signature, after DESTINY's {@code HMACSigningAuth}: hex
 * HMAC-SHA256, under the robot's secret, of {@code <METHOD> <path?query>\n<body>:<client
 * id>:<timestamp>:<nonce>}, sent as {@code Authorization: Signature <hex>} with
 * {@code X-Client-Id}, {@code X-Request-Timestamp} (Unix seconds) and
 * {@code X-Request-Nonce}. Batchyard adds the method and path so a signature cannot be
 * used against another endpoint, and the nonce so the same request cannot be sent twice
 * ({@link RobotNonces}); DESTINY's own scheme has neither, and robots must send both.
 */
public final class RobotSignature {

	private RobotSignature() {
	}

	public static String sign(String secret, String method, String pathAndQuery, byte[] body, String clientId,
			String timestamp, String nonce) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			mac.update((method + " " + pathAndQuery + "\n").getBytes(StandardCharsets.UTF_8));
			mac.update(body);
			mac.update((":" + clientId + ":" + timestamp + ":" + nonce).getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(mac.doFinal());
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
