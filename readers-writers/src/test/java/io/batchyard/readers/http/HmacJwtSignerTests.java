package io.batchyard.readers.http;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class HmacJwtSignerTests {

	static final String KEY = Base64.getEncoder()
		.encodeToString("unit-test-key-0123456789abcdefgh".getBytes(StandardCharsets.US_ASCII));

	@Test
	void signsHs256WithTheClaimsTheDlcsExpects() throws Exception {
		HmacJwtSigner signer = HmacJwtSigner.builder()
			.base64Key(KEY)
			.issuer("urn:presentation:default")
			.lifetime(Duration.ofMinutes(5))
			.clock(Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC))
			.build();

		String[] parts = signer.sign("urn:dlcs:user:2").split("\\.");

		JsonNode header = JsonMapper.shared().readTree(Base64.getUrlDecoder().decode(parts[0]));
		JsonNode claims = JsonMapper.shared().readTree(Base64.getUrlDecoder().decode(parts[1]));
		assertThat(header.path("alg").asString()).isEqualTo("HS256");
		assertThat(claims.path("sub").asString()).isEqualTo("urn:dlcs:user:2");
		assertThat(claims.path("iss").asString()).isEqualTo("urn:presentation:default");
		assertThat(claims.path("iat").longValue()).isEqualTo(1795428000L);
		assertThat(claims.path("nbf").longValue()).isEqualTo(1795428000L);
		assertThat(claims.path("exp").longValue()).isEqualTo(1795428300L);
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(Base64.getDecoder().decode(KEY), "HmacSHA256"));
		assertThat(parts[2]).isEqualTo(Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII))));
		assertThat(signer.toString()).doesNotContain(KEY);
	}

	@Test
	void refusesShortOrMalformedKeysWithoutEchoingThem() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> HmacJwtSigner.builder().base64Key("c2hvcnQ=").issuer("i").build())
			.withMessage("A signing key of at least 256 bits (32 bytes, base64-encoded) is required");
		assertThatIllegalArgumentException().isThrownBy(() -> HmacJwtSigner.builder().base64Key("not base64 !"))
			.withMessage("The signing key is not valid base64");
	}

}
