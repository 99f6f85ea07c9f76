package io.batchyard.jobs.imageingest;

import io.batchyard.test.TestImages;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ImageInspectorTests {

	private final ImageInspector inspector = new ImageInspector(1_000_000);

	@Test
	void readsTheSizeOfAPngAndAJpeg() throws Exception {
		assertThat(this.inspector.inspect(TestImages.png(30, 20)))
			.isEqualTo(new ImageInspector.ImageInfo("png", 30, 20));
		assertThat(this.inspector.inspect(TestImages.jpeg(64, 48)))
			.isEqualTo(new ImageInspector.ImageInfo("jpeg", 64, 48));
	}

	@Test
	void refusesWhatIsNoJpegOrPng() {
		assertThatExceptionOfType(ImageRejectedException.class)
			.isThrownBy(() -> this.inspector.inspect("GIF89a....".getBytes(StandardCharsets.US_ASCII)))
			.withMessage("Unsupported image format");
		assertThatExceptionOfType(ImageRejectedException.class)
			.isThrownBy(() -> this.inspector.inspect("<html>not an image</html>".getBytes(StandardCharsets.UTF_8)))
			.withMessage("Unsupported image format");
		assertThatExceptionOfType(ImageRejectedException.class).isThrownBy(() -> this.inspector.inspect(new byte[0]))
			.withMessage("Unsupported image format");
	}

	@Test
	void refusesASignatureWithoutAReadableHeader() {
		byte[] truncated = Arrays.copyOf(TestImages.png(30, 20), 12);
		assertThatExceptionOfType(ImageRejectedException.class).isThrownBy(() -> this.inspector.inspect(truncated))
			.withMessage("Unsupported image format");
		byte[] jpegStart = { (byte) 0xff, (byte) 0xd8, (byte) 0xff, 0x00, 0x01 };
		assertThatExceptionOfType(ImageRejectedException.class).isThrownBy(() -> this.inspector.inspect(jpegStart))
			.withMessage("Unsupported image format");
	}

	@Test
	void refusesAHeaderClaimingTooManyPixelsBeforeDecoding() {
		// A valid PNG header claiming 100000 x 100000 pixels, with no pixel data at all.
		byte[] png = TestImages.png(1, 1);
		writeInt(png, 16, 100_000);
		writeInt(png, 20, 100_000);
		assertThatExceptionOfType(ImageRejectedException.class).isThrownBy(() -> this.inspector.inspect(png))
			.withMessage("Image too large: 100000x100000 pixels is more than the limit of 1000000");
	}

	private static void writeInt(byte[] bytes, int offset, int value) {
		bytes[offset] = (byte) (value >>> 24);
		bytes[offset + 1] = (byte) (value >>> 16);
		bytes[offset + 2] = (byte) (value >>> 8);
		bytes[offset + 3] = (byte) value;
	}

}
