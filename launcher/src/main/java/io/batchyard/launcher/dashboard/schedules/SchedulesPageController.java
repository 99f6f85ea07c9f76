package io.batchyard.launcher.dashboard.schedules;

import java.util.List;

import io.batchyard.launcher.dashboard.Flash;
import io.batchyard.launcher.launch.LaunchRefusedException;
import io.batchyard.launcher.trigger.schedule.ScheduledLaunches;
import io.batchyard.launcher.trigger.schedule.ScheduledLaunches.FireOutcome;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The schedules: cron, next fire on this node, last fire on any node, and "trigger now".
 */
@Controller
class SchedulesPageController {

	private final ObjectProvider<ScheduledLaunches> launches;

	SchedulesPageController(ObjectProvider<ScheduledLaunches> launches) {
		this.launches = launches;
	}

	@GetMapping("/schedules")
	String schedules(Model model) {
		ScheduledLaunches launches = this.launches.getIfAvailable();
		model.addAttribute("schedules", (launches != null) ? launches.schedules() : List.of());
		return "dashboard/schedules";
	}

	@PostMapping("/schedules/{name}/trigger")
	String trigger(@PathVariable String name, RedirectAttributes redirect) {
		ScheduledLaunches launches = this.launches.getIfAvailable();
		if (launches == null) {
			Flash.error(redirect, "Schedules are not configured on this node");
			return "redirect:/schedules";
		}
		try {
			FireOutcome outcome = launches.triggerNow(name);
			if (outcome.jobExecutionId() != null && outcome.outcome().equals("launched")) {
				Flash.success(redirect, "Schedule '" + name + "' launched execution " + outcome.jobExecutionId());
				return "redirect:/executions/" + outcome.jobExecutionId();
			}
			Flash.error(redirect, "Schedule '" + name + "' did not launch: " + outcome.outcome());
		}
		catch (LaunchRefusedException ex) {
			Flash.error(redirect, ex.getMessage());
		}
		return "redirect:/schedules";
	}

}
