package io.batchyard.launcher.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import javax.sql.DataSource;

import io.batchyard.readers.blob.BlobStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.FileSystemResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.stereotype.Component;

/**
 * Loads the sample manifest, its canvas paintings and batches, and its staged manifest
 * blob into the embedded default on a fresh start (no manifest yet), so
 * {@code manifestUpdateJob} has something to update, and logs what it loaded: the
 * manifests and batches it finds after running the sample SQL that were not there before,
 * and the blobs it wrote. Embedded profile only.
 */
@Profile("embedded")
@Component
@Order(1)
class ManifestUpdateSampleData implements SampleData {

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
	public String name() {
		return "manifest-update";
	}

	@Override
	public void load() {
		Path sql = this.sampleData.resolve("presentation.sql");
		if (!Files.isRegularFile(sql)) {
			logger.info("No manifest-update sample data at " + this.sampleData.toAbsolutePath());
			return;
		}
		Integer manifests = this.jdbc.queryForObject("SELECT COUNT(*) FROM manifests", Integer.class);
		if (manifests != null && manifests > 0) {
			return;
		}
		Set<String> manifestsBefore = new HashSet<>(manifests());
		Set<String> batchesBefore = new HashSet<>(batches());
		long canvasesBefore = canvasPaintings();
		new ResourceDatabasePopulator(new FileSystemResource(sql)).execute(this.jdbc.getDataSource());
		List<String> keys = writeBlobs(this.sampleData.resolve("blobs"));
		List<String> loadedManifests = manifests().stream()
			.filter((manifest) -> !manifestsBefore.contains(manifest))
			.toList();
		List<String> loadedBatches = batches().stream().filter((batch) -> !batchesBefore.contains(batch)).toList();
		logger.info("Loaded the manifest-update sample data of " + this.sampleData + ": manifests " + loadedManifests
				+ ", batches " + loadedBatches + ", " + (canvasPaintings() - canvasesBefore)
				+ " canvas painting(s), blobs " + keys + " into " + this.blobs);
	}

	private List<String> manifests() {
		return this.jdbc.query("SELECT id, customer_id FROM manifests ORDER BY customer_id, id",
				(row, number) -> "'" + row.getString("id") + "' of customer " + row.getInt("customer_id"));
	}

	private List<String> batches() {
		return this.jdbc.query("SELECT id, status FROM batches ORDER BY id",
				(row, number) -> row.getInt("id") + " (" + row.getString("status") + ")");
	}

	private long canvasPaintings() {
		Long count = this.jdbc.queryForObject("SELECT COUNT(*) FROM canvas_paintings", Long.class);
		return (count != null) ? count : 0;
	}

	private List<String> writeBlobs(Path root) {
		if (!Files.isDirectory(root)) {
			return List.of();
		}
		try (Stream<Path> files = Files.walk(root)) {
			return files.filter(Files::isRegularFile).sorted().map((file) -> {
				String key = root.relativize(file).toString().replace('\\', '/');
				try {
					this.blobs.write(key, Files.readAllBytes(file));
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
				return key;
			}).toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
