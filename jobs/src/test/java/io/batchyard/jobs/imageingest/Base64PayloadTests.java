package io.batchyard.jobs.imageingest;

import io.batchyard.test.TestImages;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class Base64PayloadTests {

	@Test
	void decodesWithAndWithoutADataPrefix() throws Exception {
		byte[] png = TestImages.png(2, 2);
		String encoded = Base64.getEncoder().encodeToString(png);
		assertThat(Base64Payload.decode(encoded)).isEqualTo(png);
		assertThat(Base64Payload.decode("data:image/png;base64," + encoded)).isEqualTo(png);
		assertThat(Base64Payload.decode(" " + encoded.substring(0, 10) + "\n" + encoded.substring(10) + "\n"))
			.isEqualTo(png);
	}

	@Test
	void invalidBase64FailsWithAClearError() {
		assertThatExceptionOfType(ImageRejectedException.class)
			.isThrownBy(() -> Base64Payload.decode("data:image/png;base64,not*base64!"))
			.withMessageStartingWith("Invalid base64 image data: ");
		assertThatExceptionOfType(ImageRejectedException.class).isThrownBy(() -> Base64Payload.decode("data:"))
			.withMessage("Invalid base64 image data: a data: URL without a comma");
		assertThatExceptionOfType(ImageRejectedException.class).isThrownBy(() -> Base64Payload.decode("   "))
			.withMessage("Invalid base64 image data: empty");
	}

}
