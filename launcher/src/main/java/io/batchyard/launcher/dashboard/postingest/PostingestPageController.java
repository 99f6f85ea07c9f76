package io.batchyard.launcher.dashboard.postingest;

import java.time.Clock;

import io.batchyard.jobs.postingest.PostingestProperties;
import io.batchyard.jobs.postingest.QueueRoute;
import io.batchyard.launcher.dashboard.DashboardView;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The postingest state table by queue and age, next to the jobs that move it; there only
 * while the postingest jobs are enabled.
 */
@Controller
@ConditionalOnProperty(name = "batchyard.jobs.postingest.enabled", havingValue = "true", matchIfMissing = true)
class PostingestPageController {

	private final PostingestOverview overview;

	private final Clock clock;

	PostingestPageController(PostingestOverview overview, Clock clock) {
		this.overview = overview;
		this.clock = clock;
	}

	@GetMapping("/postingest")
	String postingest(Model model) {
		try {
			model.addAttribute("overview", this.overview.overview(this.clock.instant()));
		}
		catch (SdkException ex) {
			model.addAttribute("flashKind", "error");
			model.addAttribute("flash", "The state table could not be read: " + ex.getMessage());
		}
		model.addAttribute("buckets", PostingestOverview.BUCKETS);
		return "dashboard/postingest";
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "batchyard.jobs.postingest.enabled", havingValue = "true", matchIfMissing = true)
	static class PostingestView {

		@Bean
		PostingestOverview postingestOverview(DynamoDbClient dynamoDbClient, PostingestProperties properties,
				QueueRoute postingestQueueRoute) {
			return new PostingestOverview(dynamoDbClient, properties.tableName(), properties.indexName(),
					postingestQueueRoute);
		}

		@Bean
		DashboardView postingestDashboardView() {
			return new DashboardView() {

				@Override
				public String title() {
					return "Postingest";
				}

				@Override
				public String path() {
					return "/postingest";
				}

			};
		}

	}

}
