package io.batchyard.launcher.enhancements;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import io.batchyard.launcher.api.ApiRefusedException;
import io.batchyard.readers.blob.BlobStore;
import io.batchyard.readers.blob.BlobUrlSigner;
import io.batchyard.readers.blob.LocalBlobUrlSigner;
import io.batchyard.readers.blob.LocalDirectoryBlobStore;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The embedded default's stand-in for presigned S3 URLs: {@code GET} and {@code PUT}
 * {@code /blobs/<key>?method=&expires=&signature=} on the local blob directory, allowed
 * only with a valid, unexpired signature for that method and key (403 otherwise). With S3
 * storage every request answers 404.
 */
@RestController
class LocalBlobsController {

	private final BlobStore blobs;

	private final BlobUrlSigner signer;

	LocalBlobsController(BlobStore enhancementBlobStore, BlobUrlSigner enhancementUrlSigner) {
		this.blobs = enhancementBlobStore;
		this.signer = enhancementUrlSigner;
	}

	@GetMapping("/blobs/{*key}")
	ResponseEntity<Resource> get(@PathVariable String key, @RequestParam(defaultValue = "") String method,
			@RequestParam(defaultValue = "0") long expires, @RequestParam(required = false) String signature) {
		LocalDirectoryBlobStore store = allowed("GET", key, method, expires, signature);
		Path file = store.file(strip(key));
		if (!Files.isRegularFile(file)) {
			throw new ApiRefusedException(HttpStatus.NOT_FOUND, "No blob " + strip(key));
		}
		Resource resource = new FileSystemResource(file);
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM).body(resource);
	}

	@PutMapping("/blobs/{*key}")
	ResponseEntity<Object> put(@PathVariable String key, @RequestParam(defaultValue = "") String method,
			@RequestParam(defaultValue = "0") long expires, @RequestParam(required = false) String signature,
			HttpServletRequest request) throws IOException {
		LocalDirectoryBlobStore store = allowed("PUT", key, method, expires, signature);
		Path temporary = Files.createTempFile("upload-", ".tmp");
		try {
			try (InputStream in = request.getInputStream()) {
				Files.copy(in, temporary, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
			}
			try (InputStream in = Files.newInputStream(temporary)) {
				store.put(strip(key), in, Files.size(temporary));
			}
		}
		finally {
			Files.deleteIfExists(temporary);
		}
		return ResponseEntity.ok().build();
	}

	private LocalDirectoryBlobStore allowed(String actual, String key, String method, long expires, String signature) {
		if (!(this.blobs instanceof LocalDirectoryBlobStore store)
				|| !(this.signer instanceof LocalBlobUrlSigner local)) {
			throw new ApiRefusedException(HttpStatus.NOT_FOUND, "Blobs are not served here");
		}
		if (!actual.equals(method) || !local.verify(method, strip(key), expires, signature)) {
			throw new ApiRefusedException(HttpStatus.FORBIDDEN, "Invalid or expired signed URL");
		}
		return store;
	}

	private static String strip(String key) {
		return key.startsWith("/") ? key.substring(1) : key;
	}

}
