package io.batchyard.launcher.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import io.batchyard.readers.blob.LocalDirectoryBlobStore;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The manifest-update sample loader logs what it loaded, read from the database and the
 * blob store, not a fixed description of the shipped sample.
 */
@ExtendWith(OutputCaptureExtension.class)
class ManifestUpdateSampleDataTests {

	@TempDir
	Path directory;

	private DriverManagerDataSource dataSource;

	private LocalDirectoryBlobStore blobs;

	@BeforeEach
	void database() {
		// INFO whatever an earlier application in this JVM left the levels at.
		logging().setLogLevel(ManifestUpdateSampleData.class.getName(), LogLevel.INFO);
		this.dataSource = new DriverManagerDataSource(
				"jdbc:h2:mem:samples-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL", "sa", "");
		Flyway.configure().dataSource(this.dataSource).locations("classpath:db/migration/h2").load().migrate();
		this.blobs = LocalDirectoryBlobStore.builder().root(this.directory.resolve("blobs")).build();
	}

	@AfterEach
	void resetLogLevel() {
		logging().setLogLevel(ManifestUpdateSampleData.class.getName(), null);
	}

	private static LoggingSystem logging() {
		return LoggingSystem.get(ManifestUpdateSampleDataTests.class.getClassLoader());
	}

	@Test
	void logsTheManifestsBatchesCanvasesAndBlobsItLoaded(CapturedOutput output) throws IOException {
		Path samples = this.directory.resolve("other-sample");
		Files.createDirectories(samples.resolve("blobs/staged/7/manifests"));
		Files.writeString(samples.resolve("blobs/staged/7/manifests/letters-1901"), "{\"id\":\"letters-1901\"}");
		Files.writeString(samples.resolve("presentation.sql"), """
				INSERT INTO manifests (id, customer_id, created, modified, label)
				VALUES ('letters-1901', 7, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, '{"en":["Letters"]}');
				INSERT INTO batches (id, customer_id, status, submitted, manifest_id)
				VALUES (42, 7, 'Ingesting', CURRENT_TIMESTAMP, 'letters-1901');
				INSERT INTO canvas_paintings (canvas_id, manifest_id, customer_id, canvas_order, created, modified)
				VALUES ('c1', 'letters-1901', 7, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);
				""");

		new ManifestUpdateSampleData(this.dataSource, this.blobs, samples).load();

		assertThat(output.getOut())
			.contains("Loaded the manifest-update sample data of " + samples
					+ ": manifests ['letters-1901' of customer 7], batches [42 (Ingesting)], 1 canvas painting(s),"
					+ " blobs [staged/7/manifests/letters-1901] into " + this.blobs)
			.doesNotContain("sample-manifest")
			.doesNotContain("1000");
		assertThat(this.blobs.exists("staged/7/manifests/letters-1901")).isTrue();
	}

	@Test
	void logsTheShippedSampleAsLoadedAndLoadsNothingOnceAManifestExists(CapturedOutput output) {
		Path shipped = Path.of("../sample-data/manifest-update");
		ManifestUpdateSampleData loader = new ManifestUpdateSampleData(this.dataSource, this.blobs, shipped);

		loader.load();
		loader.load();

		assertThat(output.getOut()).containsOnlyOnce("Loaded the manifest-update sample data")
			.contains(": manifests ['sample-manifest' of customer 2], batches [1000 (Completed), 1001 (Ingesting)],"
					+ " 3 canvas painting(s), blobs [staged/2/manifests/sample-manifest] into ");
		assertThat(new JdbcTemplate(this.dataSource).queryForObject("SELECT COUNT(*) FROM batches", Integer.class))
			.isEqualTo(2);
	}

}
