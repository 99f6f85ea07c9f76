package io.batchyard.jobs.manifestupdate;

import java.net.URI;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import io.batchyard.readers.blob.BlobStore;
import io.batchyard.readers.blob.LocalDirectoryBlobStore;
import io.batchyard.readers.iiif.CanvasIds;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.FileSystemResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Step 5 dying at each point between its blob writes and its database commit, then run
 * again: the published manifest and the rows end as after an uninterrupted run.
 */
class ManifestPublisherTests {

	static final OffsetDateTime NOW = OffsetDateTime.of(2026, 11, 23, 10, 0, 0, 0, ZoneOffset.UTC);

	static final String STAGED = "staged/2/manifests/sample-manifest";

	static final String PUBLISHED = "2/manifests/sample-manifest";

	@TempDir
	Path blobs;

	@TempDir
	Path referenceBlobs;

	JdbcTemplate jdbc;

	DataSourceTransactionManager transactions;

	@BeforeEach
	void database() {
		DriverManagerDataSource dataSource = new DriverManagerDataSource(
				"jdbc:h2:mem:publisher-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL", "sa", "");
		Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/h2").load().migrate();
		this.jdbc = new JdbcTemplate(dataSource);
		this.transactions = new DataSourceTransactionManager(dataSource);
		new ResourceDatabasePopulator(
				new FileSystemResource(DlcsStandIn.SAMPLE_DATA.resolve("presentation.sql").toFile()))
			.execute(dataSource);
		CanvasIds
			.byAsset(JsonMapper.shared()
				.readTree(DlcsStandIn.sample("dlcs/orchestrator/manifest-query-sample-manifest.json")))
			.forEach((asset, canvas) -> this.jdbc.update(
					"INSERT INTO batch_canvases (batch_id, asset_id, canvas_id, canvas_json) VALUES (1001, ?, ?, ?)",
					asset.toString(), canvas.path("id").asString(), JsonMapper.shared().writeValueAsString(canvas)));
	}

	@Test
	void diesAfterPublishingBeforeDeletingTheStagedCopy() {
		byte[] reference = reference();
		BlobStore store = staged(LocalDirectoryBlobStore.builder().root(this.blobs).build());
		BlobStore failingDelete = new FailingDelete(store);

		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> inStepTransaction(publisher(failingDelete)));
		assertThat(store.exists(STAGED)).isTrue();
		assertThat(store.read(PUBLISHED)).isEqualTo(reference);
		assertThat(status()).isEqualTo("Ingesting");

		inStepTransaction(publisher(store));

		assertThat(store.exists(STAGED)).isFalse();
		assertThat(store.read(PUBLISHED)).isEqualTo(reference);
		assertThat(status()).isEqualTo("Completed");
	}

	@Test
	void diesAfterTheBlobsBeforeTheDatabaseCommit() {
		byte[] reference = reference();
		BlobStore store = staged(LocalDirectoryBlobStore.builder().root(this.blobs).build());
		new TransactionTemplate(this.transactions).executeWithoutResult((status) -> {
			publisher(store).publish(2, 1001, "sample-manifest", NOW);
			status.setRollbackOnly();
		});
		assertThat(store.exists(STAGED)).isFalse();
		assertThat(status()).isEqualTo("Ingesting");
		assertThat(this.jdbc.queryForObject("SELECT last_processed FROM manifests", Object.class)).isNull();

		inStepTransaction(publisher(store));

		assertThat(store.read(PUBLISHED)).isEqualTo(reference);
		assertThat(status()).isEqualTo("Completed");
		assertThat(this.jdbc.queryForObject("SELECT last_processed FROM manifests", Object.class)).isNotNull();
	}

	@Test
	void failsNamingBothKeysWhenThereIsNoManifestBlob() {
		BlobStore store = LocalDirectoryBlobStore.builder().root(this.blobs).build();

		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> publisher(store).publish(2, 1001, "sample-manifest", NOW))
			.withMessage("Manifest sample-manifest of customer 2 has neither a staged copy '" + STAGED
					+ "' nor a published one '" + PUBLISHED + "'");
	}

	private byte[] reference() {
		BlobStore clean = staged(LocalDirectoryBlobStore.builder().root(this.referenceBlobs).build());
		new TransactionTemplate(this.transactions).executeWithoutResult((status) -> {
			publisher(clean).publish(2, 1001, "sample-manifest", NOW);
			status.setRollbackOnly();
		});
		return clean.read(PUBLISHED);
	}

	private void inStepTransaction(ManifestPublisher publisher) {
		new TransactionTemplate(this.transactions)
			.executeWithoutResult((status) -> publisher.publish(2, 1001, "sample-manifest", NOW));
	}

	private ManifestPublisher publisher(BlobStore store) {
		return new ManifestPublisher(this.jdbc, store, JsonMapper.shared(),
				URI.create("https://iiif.test/presentation"));
	}

	private String status() {
		return this.jdbc.queryForObject("SELECT status FROM batches WHERE id = 1001", String.class);
	}

	private static BlobStore staged(BlobStore store) {
		store.write(STAGED,
				DlcsStandIn.sample("blobs/staged/2/manifests/sample-manifest").getBytes(StandardCharsets.UTF_8));
		return store;
	}

	/** A store whose delete fails, as a storage outage would. */
	private record FailingDelete(BlobStore store) implements BlobStore {

		@Override
		public InputStream open(String key) {
			return this.store.open(key);
		}

		@Override
		public void put(String key, InputStream content, long length) {
			this.store.put(key, content, length);
		}

		@Override
		public boolean exists(String key) {
			return this.store.exists(key);
		}

		@Override
		public void delete(String key) {
			throw new IllegalStateException("Injected fault: cannot delete " + key);
		}

	}

}
