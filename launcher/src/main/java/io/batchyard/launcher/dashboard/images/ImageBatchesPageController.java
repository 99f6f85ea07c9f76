package io.batchyard.launcher.dashboard.images;

import java.util.List;

import io.batchyard.jobs.imageingest.ImageBatches;
import io.batchyard.jobs.imageingest.ImageBatches.ImageBatch;
import io.batchyard.launcher.dashboard.DashboardView;
import io.batchyard.launcher.dashboard.Flash;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The image batches of the batch image API: their progress and counts, and per batch
 * every image with its status, blob path and error. A batch still at work refreshes its
 * page every few seconds.
 */
@Controller
class ImageBatchesPageController {

	static final int BATCHES_SHOWN = 100;

	private final ImageBatches batches;

	ImageBatchesPageController(ImageBatches imageBatches) {
		this.batches = imageBatches;
	}

	@GetMapping("/image-batches")
	String batches(Model model) {
		List<ImageBatch> all = this.batches.list();
		model.addAttribute("batches", all.subList(0, Math.min(all.size(), BATCHES_SHOWN)));
		model.addAttribute("total", all.size());
		model.addAttribute("shown", BATCHES_SHOWN);
		return "dashboard/image-batches";
	}

	@GetMapping("/image-batches/{id}")
	String batch(@PathVariable String id, Model model, RedirectAttributes redirect) {
		ImageBatch batch = this.batches.find(id).orElse(null);
		if (batch == null) {
			Flash.error(redirect, "No image batch " + id + " (batches are deleted a while after they end)");
			return "redirect:/image-batches";
		}
		model.addAttribute("batch", batch);
		model.addAttribute("images", this.batches.images(id));
		return "dashboard/image-batch";
	}

	@Configuration(proxyBeanMethods = false)
	static class ImageBatchesView {

		@Bean
		DashboardView imageBatchesDashboardView() {
			return new DashboardView() {

				@Override
				public String title() {
					return "Image batches";
				}

				@Override
				public String path() {
					return "/image-batches";
				}

			};
		}

	}

}
