package io.batchyard.launcher.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import javax.sql.DataSource;

import io.batchyard.readers.blob.BlobStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.core.io.FileSystemResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.stereotype.Component;

/**
 * Loads the sample manifest, its canvas paintings and batches, and its staged manifest
 * blob into the embedded default on a fresh start (no manifest yet), so
 * {@code manifestUpdateJob} has something to update. Embedded profile only.
 */
@Profile("embedded")
@Component
class ManifestUpdateSampleData implements ApplicationRunner {

	private static final Log logger = LogFactory.getLog(ManifestUpdateSampleData.class);

	private final JdbcTemplate jdbc;

	private final BlobStore blobs;

	private final Path sampleData;

	ManifestUpdateSampleData(DataSource dataSource, BlobStore manifestUpdateBlobStore,
			@Value("${batchyard.embedded.manifest-update.sample-data:sample-data/manifest-update}") Path sampleData) {
		this.jdbc = new JdbcTemplate(dataSource);
		this.blobs = manifestUpdateBlobStore;
		this.sampleData = sampleData;
	}

	@Override
	public void run(ApplicationArguments args) {
		Path sql = this.sampleData.resolve("presentation.sql");
		if (!Files.isRegularFile(sql)) {
			logger.info("No manifest-update sample data at " + this.sampleData.toAbsolutePath());
			return;
		}
		Integer manifests = this.jdbc.queryForObject("SELECT COUNT(*) FROM manifests", Integer.class);
		if (manifests != null && manifests > 0) {
			return;
		}
		new ResourceDatabasePopulator(new FileSystemResource(sql)).execute(this.jdbc.getDataSource());
		Path root = this.sampleData.resolve("blobs");
		try (Stream<Path> files = Files.walk(root)) {
			files.filter(Files::isRegularFile).forEach((file) -> {
				String key = root.relativize(file).toString().replace('\\', '/');
				try {
					this.blobs.write(key, Files.readAllBytes(file));
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			});
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		logger.info("Loaded the manifest-update sample data (manifest 'sample-manifest' of customer 2, batches 1000"
				+ " and 1001) into " + this.blobs);
	}

}
