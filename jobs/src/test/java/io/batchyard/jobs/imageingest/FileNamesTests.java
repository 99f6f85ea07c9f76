package io.batchyard.jobs.imageingest;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FileNamesTests {

	private static final String TRACE = "0123abcd-0000-0000-0000-000000000000";

	@Test
	void keepsAPlainName() {
		assertThat(FileNames.of("vacation-photo_1.jpg", true, 0, TRACE)).isEqualTo("vacation-photo_1.jpg");
	}

	@Test
	void dropsDirectoriesAndParentReferences() {
		assertThat(FileNames.of("../../etc/passwd", true, 0, TRACE)).isEqualTo("passwd");
		assertThat(FileNames.of("C:\\photos\\cat.png", true, 0, TRACE)).isEqualTo("cat.png");
		assertThat(FileNames.of("..", true, 3, TRACE)).isEqualTo("url_image_3_0123abcd.jpg");
		assertThat(FileNames.of(".hidden.jpg", true, 0, TRACE)).isEqualTo("hidden.jpg");
	}

	@Test
	void replacesOtherCharacters() {
		assertThat(FileNames.of("my photo (1)?.jpg", true, 0, TRACE)).isEqualTo("my_photo__1__.jpg");
	}

	@Test
	void defaultsAsTheOriginalService() {
		assertThat(FileNames.of(null, true, 4, TRACE)).isEqualTo("url_image_4_0123abcd.jpg");
		assertThat(FileNames.of("  ", false, 1, TRACE)).isEqualTo("base64_image_1_0123abcd.jpg");
		assertThat(FileNames.of("dir/", false, 2, TRACE)).isEqualTo("base64_image_2_0123abcd.jpg");
	}

	@Test
	void limitsTheLength() {
		assertThat(FileNames.of("a".repeat(300) + ".png", true, 0, TRACE)).hasSize(200).endsWith(".png");
	}

}
