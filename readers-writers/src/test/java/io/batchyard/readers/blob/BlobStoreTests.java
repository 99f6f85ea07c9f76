package io.batchyard.readers.blob;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.Stream;

import io.batchyard.test.S3ProxyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The same contract for both stores: a local directory, and S3 on a real S3-protocol
 * server (S3Proxy).
 */
class BlobStoreTests {

	@TempDir
	Path directory;

	@Test
	void localDirectory() {
		BlobStore store = LocalDirectoryBlobStore.builder().root(this.directory).build();
		contract(store);
		assertThatIllegalArgumentException().isThrownBy(() -> store.exists("../outside"))
			.withMessage("Key '../outside' leaves the blob directory");
	}

	@Test
	void aLocalPutLeavesOnlyItsBlobAndPutsInProgressAreNoKey() throws Exception {
		BlobStore store = LocalDirectoryBlobStore.builder().root(this.directory).build();
		store.write("batch/1/image.png", new byte[] { 1, 2, 3 });
		try (Stream<Path> files = Files.walk(this.directory)) {
			assertThat(files.filter(Files::isRegularFile).map((file) -> this.directory.relativize(file).toString()))
				.containsExactly("batch/1/image.png".replace('/', java.io.File.separatorChar));
		}
		assertThatIllegalArgumentException().isThrownBy(() -> store.write(".incoming/x", new byte[0]))
			.withMessage("Key '.incoming/x' names the puts in progress");
	}

	@Test
	void buildingALocalStoreRemovesThePutsOfADeadProcessOnly() throws Exception {
		// What a process killed in the middle of puts leaves: its temporary files.
		Path incoming = Files.createDirectories(this.directory.resolve(LocalDirectoryBlobStore.INCOMING));
		Path dead = Files.writeString(incoming.resolve("put-1.tmp"), "partial");
		Files.setLastModifiedTime(dead, FileTime
			.from(Instant.now().minus(LocalDirectoryBlobStore.STALE_INCOMING).minus(Duration.ofMinutes(1))));
		Path inProgress = Files.writeString(incoming.resolve("put-2.tmp"), "another process's put");

		LocalDirectoryBlobStore.builder().root(this.directory).build();

		assertThat(dead).doesNotExist();
		assertThat(inProgress).exists();
	}

	@Test
	void s3() {
		String bucket = "blobs-" + UUID.randomUUID().toString().substring(0, 8);
		S3ProxyServer.createBucket(bucket);
		contract(S3BlobStore.builder().client(S3ProxyServer.newClient()).bucket(bucket).prefix("p").build());
	}

	private static void contract(BlobStore store) {
		String key = "staged/2/manifests/m1";
		assertThat(store.exists(key)).isFalse();
		assertThatExceptionOfType(NoSuchBlobException.class).isThrownBy(() -> store.read(key));
		store.write(key, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
		assertThat(store.exists(key)).isTrue();
		store.write(key, "{\"a\":2}".getBytes(StandardCharsets.UTF_8));
		assertThat(new String(store.read(key), StandardCharsets.UTF_8)).isEqualTo("{\"a\":2}");
		assertThat(readFrom(store, key, 0)).isEqualTo("{\"a\":2}");
		assertThat(readFrom(store, key, 5)).isEqualTo("2}");
		assertThat(readFrom(store, key, 7)).isEmpty();
		assertThatExceptionOfType(NoSuchBlobException.class).isThrownBy(() -> store.open("missing", 3));
		store.delete(key);
		store.delete(key);
		assertThat(store.exists(key)).isFalse();
	}

	private static String readFrom(BlobStore store, String key, long offset) {
		try (java.io.InputStream in = store.open(key, offset)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
