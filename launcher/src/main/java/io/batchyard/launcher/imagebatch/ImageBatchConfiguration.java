package io.batchyard.launcher.imagebatch;

import io.batchyard.jobs.imageingest.ImageBatches;
import io.batchyard.launcher.launch.JobLaunchService;
import io.batchyard.readers.blob.BlobStore;

import org.springframework.batch.core.repository.JobRepository;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/**
 * The image batch API and its progress WebSocket. The original service had no
 * authentication on it, so neither has this: its own filter chain, ordered before the
 * {@code /api} chain, lets every request through without a session and without CSRF
 * (nothing here relies on a cookie). Put it behind the gateway that authenticates
 * clients, as the original sat behind its own.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableWebSocket
class ImageBatchConfiguration implements WebSocketConfigurer {

	static final String WEBSOCKET_PATH = "/api/v1/batch/{job_id}/ws";

	private final ImageBatchProgressHandler progressHandler;

	ImageBatchConfiguration(ImageBatchStates imageBatchStates, ImageBatchApiProperties properties) {
		this.progressHandler = new ImageBatchProgressHandler(imageBatchStates, properties.websocket());
	}

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		// As the original (CheckOrigin allows all): any page may subscribe.
		registry.addHandler(this.progressHandler, WEBSOCKET_PATH)
			.addInterceptors(this.progressHandler.knownBatchesOnly())
			.setAllowedOriginPatterns("*");
	}

	@Bean
	ImageBatchProgressHandler imageBatchProgressHandler() {
		return this.progressHandler;
	}

	@Bean
	ImageBatchService imageBatchService(ImageBatches imageBatches, ImageBatchStates imageBatchStates,
			BlobStore imageIngestBlobStore, JobLaunchService launchService, JobRepository jobRepository,
			PlatformTransactionManager transactionManager) {
		return new ImageBatchService(imageBatches, imageBatchStates, imageIngestBlobStore, launchService, jobRepository,
				new TransactionTemplate(transactionManager));
	}

	@Bean
	@Order(-1)
	SecurityFilterChain imageBatchFilterChain(HttpSecurity http) throws Exception {
		http.securityMatcher("/api/v1/batch", "/api/v1/batch/**")
			.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf((csrf) -> csrf.disable());
		return http.build();
	}

}
