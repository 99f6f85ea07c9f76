package io.batchyard.launcher.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The embedded default's local stand-in for the DLCS, so {@code manifestUpdateJob} runs
 * end to end with nothing installed: the recorded responses of
 * {@code sample-data/manifest-update/dlcs}, the API's paged batch assets (a bearer token
 * required) and the Orchestrator's named-query manifests. Embedded profile only.
 */
@Profile("embedded")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@RestController
@RequestMapping("/local-dlcs")
class LocalDlcsController {

	private final Path dlcs;

	LocalDlcsController(
			@Value("${batchyard.embedded.manifest-update.sample-data:sample-data/manifest-update}") Path sampleData) {
		this.dlcs = sampleData.resolve("dlcs");
	}

	@GetMapping(path = "/api/customers/{customer}/queue/batches/{batch}/assets",
			produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<String> batchAssets(@PathVariable int customer, @PathVariable int batch,
			@RequestParam(defaultValue = "1") int page,
			@RequestHeader(name = "Authorization", required = false) String authorization, HttpServletRequest request)
			throws IOException {
		if (authorization == null || !authorization.startsWith("Bearer ")) {
			return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body("{\"description\":\"Bearer token required\"}");
		}
		String api = request.getRequestURL().toString();
		api = api.substring(0, api.indexOf("/local-dlcs/api/") + "/local-dlcs/api/".length());
		return file(this.dlcs.resolve("api").resolve("batch-" + batch + "-assets-page-" + page + ".json"), api);
	}

	@GetMapping(path = "/orchestrator/iiif-resource/v3/{customer}/{namedQuery}/{manifest}",
			produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<String> namedQuery(@PathVariable int customer, @PathVariable String namedQuery,
			@PathVariable String manifest) throws IOException {
		if (!namedQuery.matches("[\\w-]+") || !manifest.matches("[\\w-]+")) {
			return ResponseEntity.notFound().build();
		}
		return file(this.dlcs.resolve("orchestrator").resolve(namedQuery + "-" + manifest + ".json"), null);
	}

	private static ResponseEntity<String> file(Path file, String api) throws IOException {
		if (!Files.isRegularFile(file)) {
			return ResponseEntity.status(HttpStatus.NOT_FOUND).body("{\"description\":\"Not in the sample data\"}");
		}
		String body = Files.readString(file);
		return ResponseEntity.ok((api != null) ? body.replace("${dlcsApi}", api) : body);
	}

}
